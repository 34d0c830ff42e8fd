import { z } from 'zod';
import { billingCustomerId, billingIntervalSchema, paidPlanSchema, refuseSecondCheckout } from '../../../domain/tenant';
import { HttpProblem } from '../../../infra/http/problem';
import { refusal } from '../../../infra/http/openapi-responses';
import type { CommandRouteSpec } from '../../command-route';
import { billingRefusals } from './billing-available';
import type { RouteDependencies } from '../../dependencies';
import { billingOf, returnUrl } from './billing-available';

export const checkoutBody = z.strictObject({
  plan: paidPlanSchema,
  interval: billingIntervalSchema,
  successUrl: returnUrl,
  cancelUrl: returnUrl,
});

/**
 * A Stripe Checkout session for the tenant's plan. The session and its subscription carry the
 * tenant in their metadata, which is how the webhooks find it. A tenant with a subscription in
 * force (or one on its way from a completed checkout) changes plan in the portal instead.
 */
export function startCheckoutRoute(deps: RouteDependencies): CommandRouteSpec<z.infer<typeof checkoutBody>, object> {
  return {
    method: 'POST', url: '/v1/billing/checkout', summary: 'Start a Stripe Checkout for a paid plan',
    roles: ['owner'], body: checkoutBody, params: z.object({}), allowedWhileSuspended: true,
    status: 201, etag: false, response: z.object({ checkoutSessionId: z.string(), url: z.string() }),
    refusals: [...billingRefusals, refusal(409, 'subscription-exists')],
    async handle({ body, tenant, context }) {
      const billing = billingOf(deps);
      refuseSecondCheckout(tenant!.billing, context.now);
      const priceId = billing.prices.priceOf(body.plan, body.interval);
      if (!priceId) {
        throw new HttpProblem(400, 'validation-failed', 'Validation failed', 'This plan is not sold with this interval.',
          [{ path: 'interval', message: `no price is configured for ${body.plan}:${body.interval}` }]);
      }
      const session = await billing.stripe.createCheckoutSession({
        tenantId: context.tenantId, customerId: billingCustomerId(tenant!.billing), priceId,
        successUrl: body.successUrl, cancelUrl: body.cancelUrl,
      });
      // Named fields only: whatever else the port returns one day stays out of the tenant's answer.
      return { status: 201, body: { checkoutSessionId: session.checkoutSessionId, url: session.url } };
    },
  };
}
