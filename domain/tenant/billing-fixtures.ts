import type { BillingFact, InvoiceFact, SubscriptionFact } from './billing-facts';

/** Builders of billing facts for the domain's tests (and the webhook ordering test's expectations). */
export const graceSeconds = 7 * 24 * 3600;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function subscriptionFact(
  created: number, eventId: string, overrides: Partial<SubscriptionFact> = {},
): SubscriptionFact {
  return {
    kind: 'subscription', subscriptionId: 'sub_1', customerId: 'cus_1', status: 'active', plan: 'pro', interval: 'month',
    currentPeriodEnd: iso(created + 30 * 86400), cancelAtPeriodEnd: false, graceEndsAt: iso(created + graceSeconds),
    order: { created, eventId }, ...overrides,
  };
}

export function invoiceFact(created: number, eventId: string, overrides: Partial<InvoiceFact> = {}): InvoiceFact {
  const outcome = overrides.outcome ?? 'paid';
  return {
    kind: 'invoice', invoiceId: 'in_1', subscriptionId: 'sub_1', customerId: 'cus_1', outcome,
    graceEndsAt: outcome === 'failed' ? iso(created + graceSeconds) : null, order: { created, eventId }, ...overrides,
  };
}

/** A tenant's whole billing life: checkout, a failed renewal, recovery, an upgrade, a second failure. */
export function billingLife(start: number): BillingFact[] {
  const month = 30 * 86400;
  return [
    subscriptionFact(start, 'evt_a1'),
    invoiceFact(start, 'evt_a2'),
    invoiceFact(start + month, 'evt_b1', { invoiceId: 'in_2', outcome: 'failed' }),
    subscriptionFact(start + month, 'evt_b2', { status: 'past_due' }),
    invoiceFact(start + month + 3 * 86400, 'evt_b3', { invoiceId: 'in_2', outcome: 'failed' }),
    invoiceFact(start + month + 4 * 86400, 'evt_c1', { invoiceId: 'in_2', outcome: 'paid' }),
    subscriptionFact(start + month + 4 * 86400, 'evt_c2'),
    subscriptionFact(start + month + 5 * 86400, 'evt_d1', { plan: 'enterprise' }),
    invoiceFact(start + 2 * month, 'evt_e1', { invoiceId: 'in_3', outcome: 'failed' }),
    subscriptionFact(start + 2 * month, 'evt_e2', { status: 'past_due', plan: 'enterprise' }),
  ];
}

/** A deterministic shuffle (mulberry32), so a failing order can be replayed from its seed. */
export function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
