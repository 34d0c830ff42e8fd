import { z } from 'zod';
import { memberNotFound, requireCheckoutAllowed } from '../../../domain/member';
import { entityId } from '../../../domain/shared/schemas';
import { conflict } from '../../../domain/shared/domain-error';
import type { OpenCheckout } from '../../../infra/stripe/member-checkouts';
import { requireChargesEnabled } from '../../../domain/tenant';
import type { CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { billingOf, billingRefusals, returnUrl } from '../billing/billing-available';
import { refusal } from '../../../infra/http/openapi-responses';
import { memberParams } from '../members/change-member-details';
import { loadMembershipType, memberDecider, memberStream, membershipTypeNotFound } from '../members/member-streams';
import { membershipPrice } from './membership-price';

/** Stripe's shortest: a member who left a checkout can start another one half an hour later. */
const checkoutLifetimeSeconds = 30 * 60;

/** A member's checkout still open is given again (the same link), if it is for the same terms. */
function sameCheckout(open: OpenCheckout, membershipTypeId: string, interval: string) {
  if (open.membershipTypeId !== membershipTypeId || open.interval !== interval) {
    throw conflict('checkout-open', `This member has a checkout open for other terms until ${open.expiresAt}: one at a time, so that two cannot both be paid.`);
  }
  return { checkoutSessionId: open.checkoutSessionId, url: open.url };
}

export const memberCheckoutBody = z.strictObject({
  membershipTypeId: entityId, interval: z.enum(['month', 'year']), successUrl: returnUrl, cancelUrl: returnUrl,
});

/**
 * POST /v1/members/:memberId/subscription/checkout (DESIGN §11): a Stripe Checkout on the
 * tenant's connected account for the member's dues. Nothing is recorded until Stripe says the
 * checkout completed (the webhook starts the subscription, billing 'stripe').
 */
export function startMemberCheckoutRoute(deps: RouteDependencies): CommandRouteSpec<z.infer<typeof memberCheckoutBody>, z.infer<typeof memberParams>> {
  return {
    method: 'POST', url: '/v1/members/:memberId/subscription/checkout', summary: 'Start a Stripe Checkout of a member’s dues on the tenant’s account',
    roles: ['owner', 'admin'], body: memberCheckoutBody, params: memberParams,
    status: 201, etag: false, ifMatch: false, response: z.object({ checkoutSessionId: z.string(), url: z.string() }),
    refusals: [...billingRefusals, memberNotFound, membershipTypeNotFound, refusal(409, 'checkout-open'), () => requireChargesEnabled(null),
      refusal(409, 'member-not-active'), refusal(409, 'subscription-exists')],
    async handle({ body, params, tenant, context }) {
      const billing = billingOf(deps);
      const accountId = requireChargesEnabled(tenant!.payments);
      const streamId = memberStream(context.tenantId, params.memberId);
      const { state: member } = await deps.streams.load(streamId, memberDecider);
      if (member.kind === 'absent') throw memberNotFound();
      requireCheckoutAllowed(member);
      const type = await loadMembershipType(deps.streams, context, body.membershipTypeId);
      return billing.inTurn(streamId, async () => {
        const open = await billing.memberCheckouts.openAt(context.tenantId, params.memberId, context.now);
        if (open) return { status: 201, body: sameCheckout(open, type.membershipTypeId, body.interval) };
        const priceId = await membershipPrice(billing, { accountId, tenantId: context.tenantId, type, interval: body.interval });
        const expiresAt = Math.floor(Date.parse(context.now) / 1000) + checkoutLifetimeSeconds;
        const session = await billing.stripe.createMemberCheckoutSession({
          accountId, tenantId: context.tenantId, memberId: params.memberId, membershipTypeId: type.membershipTypeId, interval: body.interval,
          priceId, successUrl: body.successUrl, cancelUrl: body.cancelUrl, applicationFeePercent: billing.platformFeePercent, expiresAt,
        });
        await billing.memberCheckouts.record(context.tenantId, params.memberId,
          { ...session, membershipTypeId: type.membershipTypeId, interval: body.interval, expiresAt: new Date(expiresAt * 1000).toISOString() });
        return { status: 201, body: session };
      });
    },
  };
}
