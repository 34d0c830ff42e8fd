import { z } from 'zod';
import { entityId } from '../../../domain/shared/schemas';
import type { CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { handleCommand } from '../../handle-command';
import { memberParams } from './change-member-details';
import { loadMembershipType, memberDecider, memberReply, memberStream } from './member-streams';

export const subscriptionBody = z.strictObject({ membershipTypeId: entityId, interval: z.enum(['month', 'year']) });
export const cancelBody = z.strictObject({ atPeriodEnd: z.boolean() });

type Params = z.infer<typeof memberParams>;

export function startOrChangeSubscriptionRoute(
  deps: RouteDependencies,
): CommandRouteSpec<z.infer<typeof subscriptionBody>, Params> {
  return {
    method: 'POST', url: '/v1/members/:memberId/subscription', summary: 'Start a subscription or change its plan',
    roles: ['owner', 'admin'], body: subscriptionBody, params: memberParams,
    async handle({ body, params, context, ifMatch }) {
      const type = await loadMembershipType(deps.streams, context, body.membershipTypeId);
      const result = await handleCommand(deps.streams, memberStream(context.tenantId, params.memberId), memberDecider, {
        type: 'StartOrChangeSubscription', interval: body.interval, now: context.now,
        membershipType: { membershipTypeId: type.membershipTypeId, monthlyPriceCents: type.monthlyPriceCents, currency: type.currency },
      }, context, ifMatch);
      return memberReply(params.memberId, result);
    },
  };
}

export function cancelSubscriptionRoute(
  deps: RouteDependencies,
): CommandRouteSpec<z.infer<typeof cancelBody>, Params> {
  return {
    method: 'POST', url: '/v1/members/:memberId/subscription/cancel', summary: 'Cancel a subscription now or at period end',
    roles: ['owner', 'admin'], body: cancelBody, params: memberParams,
    async handle({ body, params, context, ifMatch }) {
      const result = await handleCommand(deps.streams, memberStream(context.tenantId, params.memberId), memberDecider,
        { type: 'CancelSubscription', atPeriodEnd: body.atPeriodEnd, now: context.now }, context, ifMatch);
      return memberReply(params.memberId, result);
    },
  };
}
