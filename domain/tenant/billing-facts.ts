import { z } from 'zod';
import { isoInstant } from '../shared/schemas';
import { mergeStripeFacts } from '../shared/stripe-fact-merge';
import { stripeId, stripeOrderSchema } from '../shared/stripe-order';
import { billingIntervalSchema, paidPlanSchema } from './plans';

export { isNewer, stripeId, stripeOrderSchema, type StripeOrder } from '../shared/stripe-order';

/**
 * What the platform has learnt from Stripe about a tenant's billing, in our own words. Stripe
 * neither orders nor deduplicates its deliveries, so every fact carries Stripe's ordering key and
 * the tenant's billing state is a function of the *set* of facts received: facts about one object
 * are merged by `mergeFacts`, which is commutative, associative and idempotent.
 */

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


/** The one fact that stands for an object after both were received (domain/shared/stripe-fact-merge.ts). */
export const mergeFacts = <F extends BillingFact>(a: F, b: F): F => mergeStripeFacts(a, b);

export const factKey = (fact: BillingFact) => (fact.kind === 'subscription' ? fact.subscriptionId : fact.invoiceId);
