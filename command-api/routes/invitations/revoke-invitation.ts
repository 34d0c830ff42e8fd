import { z } from 'zod';
import { invitationNotFound, invitationNotPending } from '../../../domain/invitation';
import type { CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { handleCommand } from '../../handle-command';
import { receiptOf } from '../command-receipt';
import { invitationDecider, invitationParams, invitationStream } from './invitation-streams';

export const noBody = z.strictObject({});

/**
 * POST /v1/invitations/:invitationId/revoke: its link stops working (410 invitation-revoked).
 * The member stays pending, as registered: the tenant may still activate or change them, or
 * resend the invitation, which revives it with a new link (the revoked one stays refused).
 */
export function revokeInvitationRoute(deps: RouteDependencies): CommandRouteSpec<object, z.infer<typeof invitationParams>> {
  return {
    method: 'POST', url: '/v1/invitations/:invitationId/revoke', summary: 'Revoke a pending invitation',
    roles: ['owner', 'admin'], body: noBody, params: invitationParams, response: receiptOf('invitationId'),
    refusals: [invitationNotFound, invitationNotPending],
    async handle({ params, context, ifMatch }) {
      const result = await handleCommand(deps.streams, invitationStream(context.tenantId, params.invitationId), invitationDecider,
        { type: 'RevokeInvitation', now: context.now }, context, ifMatch);
      return { status: 200, revision: result.revision,
        body: { invitationId: params.invitationId, revision: result.revision, position: result.position } };
    },
  };
}
