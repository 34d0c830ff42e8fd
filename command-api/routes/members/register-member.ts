import { z } from 'zod';
import { memberEmail } from '../../../domain/member';
import { entityId } from '../../../domain/shared/schemas';
import type { CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { handleCommand } from '../../handle-command';
import { claimValue } from '../../value-claims';
import { planLimitReachedCode } from '../../../domain/plan-usage';
import { refusal } from '../../../infra/http/openapi-responses';
import { emailAlreadyUsed, emailClaim, loadMembershipType, memberDecider, memberReply, memberReplySchema, memberStream, membershipTypeNotFound } from './member-streams';

export const registerMemberBody = z.strictObject({
  email: memberEmail,
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  membershipTypeId: entityId.nullable().optional(),
  invite: z.boolean().optional(),
});

export function registerMemberRoute(
  deps: RouteDependencies,
): CommandRouteSpec<z.infer<typeof registerMemberBody>, object> {
  return {
    method: 'POST', url: '/v1/members', summary: 'Register a member (active, or pending when invited)',
    roles: ['owner', 'admin', 'staff'], body: registerMemberBody, params: z.object({}),
    status: 201, response: memberReplySchema, refusals: [emailAlreadyUsed, membershipTypeNotFound, refusal(409, planLimitReachedCode), refusal(409, 'member-already-exists')],
    async handle({ body, tenant, context }) {
      const membershipTypeId = body.membershipTypeId ?? null;
      if (membershipTypeId) await loadMembershipType(deps.streams, context, membershipTypeId);
      const memberId = context.newId();
      // A pending member holds a seat too.
      return deps.planUsage.withMemberSeat(tenant!, memberId, context, async () => {
        // The email is claimed next: if the member append then fails, the claim is stale and the
        // next registration with that email takes it over.
        await claimValue(deps.streams, emailClaim(deps.streams, context.tenantId, body.email), memberId, context);
        deps.streams.presumeAbsent(memberStream(context.tenantId, memberId), memberDecider);
        const result = await handleCommand(deps.streams, memberStream(context.tenantId, memberId), memberDecider, {
          type: 'RegisterMember', memberId, email: body.email, firstName: body.firstName, lastName: body.lastName,
          membershipTypeId, invite: body.invite ?? false,
        }, context);
        return { ...memberReply(memberId, result, 201), location: `/v1/members/${memberId}` };
      });
    },
  };
}
