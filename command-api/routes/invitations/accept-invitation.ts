import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { invitationAlreadyAccepted, invitationExpired, invitationNotFound, invitationRevoked } from '../../../domain/invitation';
import { DomainError } from '../../../domain/shared/domain-error';
import { refuseWritesWhenSuspended, tenantBilling } from '../../../domain/tenant';
import { refusal } from '../../../infra/http/openapi-responses';
import type { DocumentedRoute } from '../../../infra/http/openapi';
import { fieldErrorsOf, validationProblem } from '../../../infra/http/problem';
import { hashInvitationToken } from '../../../infra/invitations/invitation-token';
import type { RouteDependencies } from '../../dependencies';
import { handleCommand, type CommandContext } from '../../handle-command';
import { memberDecider, memberReply, memberReplySchema, memberStream } from '../members/member-streams';
import { invitationDecider, invitationOfToken, invitationStream } from './invitation-streams';

/** A token is 43 characters; anything of another shape is simply unknown (404), up to this size. */
const acceptBody = z.strictObject({ token: z.string().min(1).max(200) });
/** The body is one short token: an unauthenticated caller gets no more than this parsed. */
const acceptBodyLimit = 1024;
/** The inviting tenant suspended for non-payment: its writes are refused, this one too. */
const suspendedTenant = refusal(402, 'tenant-suspended');

/**
 * POST /v1/invitations/accept (no bearer token: the token is the credential). The token's hash
 * names the tenant and the invitation (its claim stream); the invitation is accepted first, which
 * consumes the token once whatever the races, then its member becomes active, with the invitation
 * as the actor.
 */
export function installAcceptInvitationRoute(app: FastifyInstance, deps: RouteDependencies, documents: DocumentedRoute[]) {
  documents.push({
    method: 'POST', url: '/v1/invitations/accept', summary: 'Accept an invitation: its member becomes active', roles: [],
    body: acceptBody, response: memberReplySchema,
    refusals: [invitationNotFound, invitationRevoked, invitationExpired, invitationAlreadyAccepted, suspendedTenant],
    authenticatedBy: 'No bearer token: the invitation token from the mailed link (the fragment of INVITATION_ACCEPT_URL) is the credential.',
  });
  app.post('/v1/invitations/accept', { bodyLimit: acceptBodyLimit }, async (request, reply) => {
    const parsed = acceptBody.safeParse(request.body ?? {});
    if (!parsed.success) throw validationProblem(fieldErrorsOf(parsed.error));
    const tokenHash = hashInvitationToken(parsed.data.token);
    const holder = await invitationOfToken(deps.streams, tokenHash);
    if (!holder) throw invitationNotFound();
    refuseWritesWhenSuspended(tenantBilling(await deps.requireTenant(holder.tenantId)));
    const context = invitationContext(deps, request, holder.tenantId);
    const streamId = invitationStream(holder.tenantId, holder.invitationId);
    let memberId: string;
    try {
      const accepted = await handleCommand(deps.streams, streamId, invitationDecider,
        { type: 'AcceptInvitation', tokenHash, now: context.now }, context);
      if (accepted.state.kind !== 'sent') throw invitationNotFound();
      memberId = accepted.state.memberId;
    } catch (error) {
      // A process that died between the two appends left the member pending: the next try of the
      // same link completes the activation, and still answers that the invitation was used.
      if (error instanceof DomainError && error.code === 'invitation-already-accepted') {
        const { state } = await deps.streams.load(streamId, invitationDecider);
        if (state.kind === 'sent') await activate(deps, holder.tenantId, state.memberId, context);
      }
      throw error;
    }
    const result = await activate(deps, holder.tenantId, memberId, context);
    return reply.send(memberReply(memberId, result).body);
  });
}

/** Activates the pending member; one already activated (by the tenant, or by an earlier try) is left as it is. */
async function activate(deps: RouteDependencies, tenantId: string, memberId: string, context: CommandContext) {
  const streamId = memberStream(tenantId, memberId);
  try {
    return await handleCommand(deps.streams, streamId, memberDecider, { type: 'ActivateMember' }, context);
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'member-not-pending')) throw error;
    return deps.streams.load(streamId, memberDecider);
  }
}

function invitationContext(deps: RouteDependencies, request: FastifyRequest, tenantId: string): CommandContext {
  const correlation = request.headers['x-correlation-id'];
  return {
    tenantId, actor: { system: 'invitation' },
    correlationId: typeof correlation === 'string' && correlation.length <= 100 ? correlation : request.id,
    causationId: request.id, now: deps.now(), newId: deps.newId,
  };
}
