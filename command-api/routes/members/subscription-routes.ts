import { z } from 'zod';
import { entityId } from '../../../domain/shared/schemas';
import type { CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { handleCommand, preconditionFailed } from '../../handle-command';
import { memberParams } from './change-member-details';
import { cancelStripeDues, changeStripeDues, type DuesTarget } from '../payments/change-stripe-dues';
import { loadMembershipType, memberDecider, memberReply, memberReplySchema, memberStream, membershipTypeNotFound } from './member-streams';
import { memberNotFound, noActiveSubscription } from '../../../domain/member';
import { refusal } from '../../../infra/http/openapi-responses';
import type { StreamStates } from '../../stream-states';
import type { Tenant } from '../../../domain/tenant';

export const subscriptionBody = z.strictObject({ membershipTypeId: entityId, interval: z.enum(['month', 'year']) });
export const cancelBody = z.strictObject({ atPeriodEnd: z.boolean() });

type Params = z.infer<typeof memberParams>;

export function startOrChangeSubscriptionRoute(
  deps: RouteDependencies,
): CommandRouteSpec<z.infer<typeof subscriptionBody>, Params> {
  return {
    method: 'POST', url: '/v1/members/:memberId/subscription',
    summary: 'Start a subscription or change its plan (a Stripe-billed one is changed in Stripe: 202, the member follows Stripe’s events)',
    roles: ['owner', 'admin'], body: subscriptionBody, params: memberParams,
    status: [200, 202], response: memberReplySchema, refusals: [memberNotFound, membershipTypeNotFound, refusal(409, 'member-not-active'), refusal(409, 'subscription-exists')],
    async handle({ body, params, tenant, context, ifMatch }) {
      const type = await loadMembershipType(deps.streams, context, body.membershipTypeId);
      const stripeBilled = await stripeBilledDues(deps.streams, tenant!, memberStream(context.tenantId, params.memberId), ifMatch);
      if (stripeBilled) return changeStripeDues(deps, stripeBilled, type, body.interval);
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
    method: 'POST', url: '/v1/members/:memberId/subscription/cancel', summary: 'Cancel a subscription now or at period end (a Stripe-billed one in Stripe: 202)',
    roles: ['owner', 'admin'], body: cancelBody, params: memberParams,
    status: [200, 202], response: memberReplySchema, refusals: [memberNotFound, noActiveSubscription],
    async handle({ body, params, tenant, context, ifMatch }) {
      const stripeBilled = await stripeBilledDues(deps.streams, tenant!, memberStream(context.tenantId, params.memberId), ifMatch);
      if (stripeBilled) return cancelStripeDues(deps, stripeBilled, body.atPeriodEnd);
      const result = await handleCommand(deps.streams, memberStream(context.tenantId, params.memberId), memberDecider,
        { type: 'CancelSubscription', atPeriodEnd: body.atPeriodEnd, now: context.now }, context, ifMatch);
      return memberReply(params.memberId, result);
    },
  };
}

/** A member whose subscription Stripe bills (DESIGN §11): it is changed in Stripe, not here. */
async function stripeBilledDues(streams: StreamStates, tenant: Tenant, streamId: string, ifMatch?: number): Promise<DuesTarget | null> {
  let loaded = await streams.load(streamId, memberDecider);
  if (ifMatch !== undefined && loaded.revision !== ifMatch) {
    // The cache may be behind another process: only the store can say the precondition failed.
    streams.forget(streamId);
    loaded = await streams.load(streamId, memberDecider);
  }
  const { state, revision, position } = loaded;
  if (state.kind !== 'registered' || state.subscription?.billing !== 'stripe') return null;
  if (ifMatch !== undefined && revision !== ifMatch) throw preconditionFailed(revision);
  return { member: state, tenant, revision, position };
}
