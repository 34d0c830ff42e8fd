import { z } from 'zod';
import { refusal, type RefusalSource } from '../../../infra/http/openapi-responses';
import { HttpProblem } from '../../../infra/http/problem';
import type { BillingDependencies, RouteDependencies } from '../../dependencies';

/** A command API started without Stripe settings (distributed, no STRIPE_SECRET_KEY) has no billing. */
export function billingOf(deps: RouteDependencies): BillingDependencies {
  if (deps.billing) return deps.billing;
  throw new HttpProblem(503, 'billing-unavailable', 'Service unavailable',
    'Billing is not configured on this platform (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_PRICES).');
}

/** What every route that calls Stripe can answer besides its own refusals. */
export const billingRefusals: RefusalSource[] = [() => billingOf({} as RouteDependencies),
  refusal(502, 'billing-provider-refused'), refusal(503, 'billing-provider-unavailable')];

/** A URL Stripe can send a browser back to: absolute http(s), at most 2,000 characters. */
export const returnUrl = z.url({ protocol: /^https?$/, message: 'an absolute http(s) URL' }).max(2000);
