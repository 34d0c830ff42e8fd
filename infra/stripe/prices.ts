import { z } from 'zod';
import type { BillingInterval, PaidPlan } from '../../domain/tenant';

export type PlanPrice = { plan: PaidPlan; interval: BillingInterval };

/** Stripe price ids by plan and interval, from STRIPE_PRICES (`pro:month=price_1Q…,enterprise:year=…`). */
export type PriceTable = {
  priceOf(plan: PaidPlan, interval: BillingInterval): string | undefined;
  planOf(priceId: string): PlanPrice | undefined;
};

/** What the local stand-in offers when no STRIPE_SECRET_KEY is set (DESIGN §10). */
export const developmentPrices = 'pro:month=price_pro_month,pro:year=price_pro_year,'
  + 'enterprise:month=price_enterprise_month,enterprise:year=price_enterprise_year';

const entry = z.string().regex(/^(pro|enterprise):(month|year)=[A-Za-z0-9_]+$/, 'plan:interval=price_id');

/** Throws at start on a malformed entry, naming it. */
export function parsePriceTable(text: string): PriceTable {
  const byPlan = new Map<string, string>();
  const byPrice = new Map<string, PlanPrice>();
  for (const raw of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    if (!entry.safeParse(raw).success) throw new Error(`STRIPE_PRICES: "${raw}" is not plan:interval=price_id`);
    const [key, priceId] = raw.split('=') as [string, string];
    const [plan, interval] = key.split(':') as [PaidPlan, BillingInterval];
    byPlan.set(key, priceId);
    byPrice.set(priceId, { plan, interval });
  }
  return {
    priceOf: (plan, interval) => byPlan.get(`${plan}:${interval}`),
    planOf: (priceId) => byPrice.get(priceId),
  };
}
