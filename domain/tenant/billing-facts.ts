import { z } from 'zod';
import { isoInstant } from '../shared/schemas';
import { isNewer, stripeId, stripeOrderSchema, type StripeOrder } from '../shared/stripe-order';
import { billingIntervalSchema, paidPlanSchema } from './plans';

/**
 * What the platform has learnt from Stripe about a tenant's billing, in our own words. Stripe
 * neither orders nor deduplicates its deliveries, so every fact carries Stripe's ordering key and
 * the tenant's billing state is a function of the *set* of facts received: facts about one object
 * are merged by `mergeFacts`, which is commutative, associative and idempotent.
 */
export { isNewer, stripeId, stripeOrderSchema, type StripeOrder } from '../shared/stripe-order';

/** Stripe subscription statuses that mean something to us (`incomplete*` change nothing). */
export const stripeSubscriptionStatusSchema = z.enum(['trialing', 'active', 'past_due', 'unpaid', 'paused', 'canceled']);
export type StripeSubscriptionStatus = z.infer<typeof stripeSubscriptionStatusSchema>;

export const subscriptionFactSchema = z.object({
  kind: z.literal('subscription'),
  subscriptionId: stripeId,
  customerId: stripeId,
  status: stripeSubscriptionStatusSchema,
  plan: paidPlanSchema,
  interval: billingIntervalSchema,
  currentPeriodEnd: isoInstant.nullable(),
  cancelAtPeriodEnd: z.boolean(),
  /** When a dunning episode started by this fact alone (status past_due) would end. */
  graceEndsAt: isoInstant,
  order: stripeOrderSchema,
});
export type SubscriptionFact = z.infer<typeof subscriptionFactSchema>;

export const invoiceFactSchema = z.object({
  kind: z.literal('invoice'),
  invoiceId: stripeId,
  subscriptionId: stripeId.nullable(),
  customerId: stripeId,
  outcome: z.enum(['paid', 'failed']),
  /** For a failure: its `created` plus the grace period; the earliest failure of an invoice counts. */
  graceEndsAt: isoInstant.nullable(),
  order: stripeOrderSchema,
});
export type InvoiceFact = z.infer<typeof invoiceFactSchema>;

export type BillingFact = SubscriptionFact | InvoiceFact;


const newest = <T extends { order: StripeOrder }>(a: T, b: T) => (isNewer(b.order, a.order) ? b : a);

/**
 * The one fact that stands for an object after both were received, whichever came first:
 * - a canceled subscription stays canceled: no other fact of it, older or newer, revives it;
 * - a paid invoice stays paid; a failed one keeps the grace of its earliest failure (Stripe's
 *   retries fail the same invoice again, and must not extend the grace period);
 * - otherwise the newest fact wins.
 */
export function mergeFacts<F extends BillingFact>(a: F, b: F): F {
  if (a.kind === 'subscription' && b.kind === 'subscription') {
    const aEnded = a.status === 'canceled';
    const bEnded = b.status === 'canceled';
    if (aEnded !== bEnded) return aEnded ? a : b;
    return newest(a, b);
  }
  if (a.kind === 'invoice' && b.kind === 'invoice') {
    if (a.outcome !== b.outcome) return a.outcome === 'paid' ? a : b;
    const winner: InvoiceFact = newest<InvoiceFact>(a, b);
    if (winner.outcome === 'paid') return winner as F;
    const grace = [a.graceEndsAt, b.graceEndsAt].filter((g): g is string => g !== null).sort()[0] ?? null;
    return { ...winner, graceEndsAt: grace } as F;
  }
  throw new Error('mergeFacts: facts of different kinds');
}

export const factKey = (fact: BillingFact) => (fact.kind === 'subscription' ? fact.subscriptionId : fact.invoiceId);
