import { z } from 'zod';
import { requireBillingCustomer } from '../../../domain/tenant';
import { refusal } from '../../../infra/http/openapi-responses';
import type { CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { billingOf, billingRefusals, returnUrl } from './billing-available';

export const portalBody = z.strictObject({ returnUrl: returnUrl });

/** Stripe's customer portal: change plan, update the card, see invoices, cancel. */
export function openBillingPortalRoute(deps: RouteDependencies): CommandRouteSpec<z.infer<typeof portalBody>, object> {
  return {
    method: 'POST', url: '/v1/billing/portal', summary: 'Open the Stripe billing portal',
    roles: ['owner'], body: portalBody, params: z.object({}), allowedWhileSuspended: true,
    status: 201, etag: false, response: z.object({ url: z.string() }), refusals: [...billingRefusals, refusal(409, 'no-billing-account')],
    async handle({ body, tenant }) {
      const billing = billingOf(deps);
      const customerId = requireBillingCustomer(tenant!.billing);
      const session = await billing.stripe.createPortalSession({ customerId, returnUrl: body.returnUrl });
      return { status: 201, body: { url: session.url } };
    },
  };
}
