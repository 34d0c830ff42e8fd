import { z } from 'zod';
import { memberEmail, memberNotFound } from '../../../domain/member';
import { entityId } from '../../../domain/shared/schemas';
import type { CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { handleCommand } from '../../handle-command';
import { claimValue, releaseValue } from '../../value-claims';
import { emailAlreadyUsed, emailClaim, loadMembershipType, memberDecider, memberReply, memberReplySchema, memberStream, membershipTypeNotFound } from './member-streams';

export const memberParams = z.strictObject({ memberId: entityId });

export const changeMemberDetailsBody = z.strictObject({
  email: memberEmail.optional(),
  firstName: z.string().trim().min(1).max(100).optional(),
  lastName: z.string().trim().min(1).max(100).optional(),
  membershipTypeId: entityId.nullable().optional(),
});

export function changeMemberDetailsRoute(
  deps: RouteDependencies,
): CommandRouteSpec<z.infer<typeof changeMemberDetailsBody>, z.infer<typeof memberParams>> {
  return {
    method: 'PATCH', url: '/v1/members/:memberId', summary: 'Change a member’s email, name or membership type',
    roles: ['owner', 'admin', 'staff'], body: changeMemberDetailsBody, params: memberParams,
    response: memberReplySchema, refusals: [memberNotFound, emailAlreadyUsed, membershipTypeNotFound],
    async handle({ body, params, context, ifMatch }) {
      const streams = deps.streams;
      const streamId = memberStream(context.tenantId, params.memberId);
      if (body.membershipTypeId) await loadMembershipType(streams, context, body.membershipTypeId);
      const { state } = await streams.load(streamId, memberDecider);
      const oldEmail = state.kind === 'registered' ? state.email : undefined;
      const emailChanges = body.email !== undefined && oldEmail !== undefined && body.email.toLowerCase() !== oldEmail.toLowerCase();
      if (emailChanges) await claimValue(streams, emailClaim(streams, context.tenantId, body.email!), params.memberId, context);
      try {
        const result = await handleCommand(streams, streamId, memberDecider, { type: 'ChangeMemberDetails', ...body }, context, ifMatch);
        if (emailChanges) await releaseValue(streams, emailClaim(streams, context.tenantId, oldEmail!).streamId, params.memberId, context);
        return memberReply(params.memberId, result);
      } catch (error) {
        if (emailChanges) await releaseValue(streams, emailClaim(streams, context.tenantId, body.email!).streamId, params.memberId, context);
        throw error;
      }
    },
  };
}
