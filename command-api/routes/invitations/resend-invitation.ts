import type { z } from 'zod';
import { invitationNotFound, invitationNotPending } from '../../../domain/invitation';
import type { CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { handleCommand } from '../../handle-command';
import { memberDecider, memberStream } from '../members/member-streams';
import { mailUnavailable, sendInvitationMail, type InvitationSettings } from './invitation-mail';
import { expiryAfter, invitationDecider, invitationParams, invitationReply, invitationReplySchema, invitationStream, issueToken } from './invitation-streams';
import { noBody } from './revoke-invitation';

/**
 * POST /v1/invitations/:invitationId/resend: a new token (the old link stops working), a new expiry,
 * the mail again. Also for an expired or revoked invitation, which is pending again: that is how the
 * tenant invites its still-pending member once more (a new invitation to the email is email-taken).
 * An accepted one is 409 invitation-not-pending.
 */
export function resendInvitationRoute(
  deps: RouteDependencies, settings: InvitationSettings,
): CommandRouteSpec<object, z.infer<typeof invitationParams>> {
  return {
    method: 'POST', url: '/v1/invitations/:invitationId/resend', summary: 'Send an invitation again with a new link (also an expired or revoked one)',
    roles: ['owner', 'admin'], body: noBody, params: invitationParams, response: invitationReplySchema,
    refusals: [invitationNotFound, invitationNotPending, mailUnavailable],
    async handle({ params, tenant, context, ifMatch }) {
      const { invitationId } = params;
      const streamId = invitationStream(context.tenantId, invitationId);
      // Refused before a token is claimed when the invitation is unknown here (another tenant's id too).
      const { state } = await deps.streams.load(streamId, invitationDecider);
      if (state.kind === 'absent') throw invitationNotFound();
      // Accepted is the one final status (expired and revoked come back to pending by a resend), so
      // the cached state can refuse it as well as the stored one; the decider checks the rest again.
      if (state.status === 'accepted') throw invitationNotPending('accepted');
      const { token, tokenHash } = await issueToken(deps.streams, invitationId, context);
      const expiresAt = expiryAfter(context.now, settings.ttlSeconds);
      const result = await handleCommand(deps.streams, streamId, invitationDecider,
        { type: 'ResendInvitation', tokenHash, expiresAt, now: context.now }, context, ifMatch);
      const member = await deps.streams.load(memberStream(context.tenantId, state.memberId), memberDecider);
      if (member.state.kind !== 'registered') throw new Error(`invitation ${invitationId} names no member`);
      await sendInvitationMail(settings, { to: member.state.email, firstName: member.state.firstName,
        tenantName: tenant!.name, token, expiresAt, invitationId });
      return invitationReply(invitationId, { memberId: state.memberId, expiresAt }, result);
    },
  };
}
