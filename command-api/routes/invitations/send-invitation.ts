import { z } from 'zod';
import { memberEmail } from '../../../domain/member';
import { conflict, DomainError } from '../../../domain/shared/domain-error';
import { entityId } from '../../../domain/shared/schemas';
import { planLimitReachedCode } from '../../../domain/plan-usage';
import { refusal } from '../../../infra/http/openapi-responses';
import type { CommandInput, CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { handleCommand } from '../../handle-command';
import { membershipTypeNotFound } from '../members/member-streams';
import { registerMemberRoute } from '../members/register-member';
import { mailUnavailable, sendInvitationMail, type InvitationSettings } from './invitation-mail';
import { expiryAfter, invitationDecider, invitationReply, invitationReplySchema, invitationStream, issueToken } from './invitation-streams';

export const sendInvitationBody = z.strictObject({
  email: memberEmail,
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  membershipTypeId: entityId.nullable().optional(),
});
type Body = z.infer<typeof sendInvitationBody>;

/** 409: the email is already a member's in this tenant (the member registration's email claim). */
export const emailTaken = () => conflict('email-taken', 'This email is already a member’s.');
/** The code the member registration answers for the same rule (member-streams.ts emailClaim). */
const registrationEmailCode = 'email-already-used';

/**
 * POST /v1/invitations: the member is registered `pending` through the member registration itself
 * (its seat, its per-tenant email claim), then the invitation is recorded with a new token's hash
 * and mailed with the token's link.
 */
export function sendInvitationRoute(deps: RouteDependencies, settings: InvitationSettings): CommandRouteSpec<Body, object> {
  const registration = registerMemberRoute(deps);
  return {
    method: 'POST', url: '/v1/invitations', summary: 'Invite a member by mail (the member is pending until the invitation is accepted)',
    roles: ['owner', 'admin'], body: sendInvitationBody, params: z.object({}), status: 201, response: invitationReplySchema,
    refusals: [emailTaken, membershipTypeNotFound, refusal(409, planLimitReachedCode), refusal(409, 'member-already-exists'), mailUnavailable],
    async handle(input) {
      const { context, tenant } = input;
      const memberId = await registerPending(registration, input);
      const invitationId = context.newId();
      const { token, tokenHash } = await issueToken(deps.streams, invitationId, context);
      const expiresAt = expiryAfter(context.now, settings.ttlSeconds);
      const streamId = invitationStream(context.tenantId, invitationId);
      deps.streams.presumeAbsent(streamId, invitationDecider);
      let result = await handleCommand(deps.streams, streamId, invitationDecider,
        { type: 'SendInvitation', invitationId, memberId, tokenHash, expiresAt }, context);
      // Resuming a keyed attempt that recorded the invitation with another token (and may not have
      // mailed it): this attempt's token replaces it, so the link mailed below is the one that works.
      if (result.state.kind === 'sent' && result.state.tokenHash !== tokenHash) {
        result = await handleCommand(deps.streams, streamId, invitationDecider,
          { type: 'ResendInvitation', tokenHash, expiresAt, now: context.now }, context);
      }
      await sendInvitationMail(settings, { to: input.body.email, firstName: input.body.firstName, tenantName: tenant!.name,
        token, expiresAt, invitationId });
      return invitationReply(invitationId, { memberId, expiresAt }, result, 201);
    },
  };
}

async function registerPending(registration: ReturnType<typeof registerMemberRoute>, input: CommandInput<Body, object>) {
  try {
    const reply = await registration.handle({ ...input, body: { ...input.body, invite: true } });
    return reply.body.memberId as string;
  } catch (error) {
    if (error instanceof DomainError && error.code === registrationEmailCode) throw emailTaken();
    throw error;
  }
}
