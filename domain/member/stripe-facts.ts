import { z } from 'zod';
import { currencyCode, entityId, isoInstant, minorUnits } from '../shared/schemas';
import { withStripeFact } from '../shared/stripe-fact-merge';
import { stripeId, stripeOrderSchema } from '../shared/stripe-order';

/**
 * What the platform has learnt from Stripe about a member's dues on the tenant's connected account
 * (DESIGN §11), in our words. As for a tenant's billing (domain/tenant/billing-facts.ts), the
 * member's Stripe-billed subscription is a function of the *set* of facts received: facts about one
 * Stripe object merge commutatively, so deliveries may come in any order and any number of times.
 */
export const memberSubscriptionFactSchema = z.object({
  kind: z.literal('subscription'),
  subscriptionId: stripeId,
  /** Stripe's subscription status; `incomplete*` (first payment pending) start nothing. */
  status: z.enum(['trialing', 'active', 'past_due', 'unpaid', 'paused', 'canceled', 'incomplete', 'incomplete_expired']),
  /** From the metadata our checkout set, never from Stripe's price id. */
  membershipTypeId: entityId,
  interval: z.enum(['month', 'year']),
  /** The membership type's price in our records when the fact was recorded. */
  monthlyPriceCents: minorUnits,
  currency: currencyCode,
  periodStart: isoInstant,
  periodEnd: isoInstant,
  cancelAtPeriodEnd: z.boolean(),
  /** When a dunning episode started by this fact alone (Stripe status past_due) would end. */
  graceEndsAt: isoInstant,
  /** A downgrade asked for, in force from the period starting at `from` (our metadata on the subscription). */
  pendingChange: z.object({
    membershipTypeId: entityId, interval: z.enum(['month', 'year']), monthlyPriceCents: minorUnits, currency: currencyCode, from: isoInstant,
  }).nullable().default(null),
  order: stripeOrderSchema,
});
export type MemberSubscriptionFact = z.infer<typeof memberSubscriptionFactSchema>;

export const memberInvoiceFactSchema = z.object({
  kind: z.literal('invoice'),
  invoiceId: stripeId,
  subscriptionId: stripeId,
  outcome: z.enum(['paid', 'failed']),
  /** The service period the invoice pays for (its subscription line), when it says. */
  periodStart: isoInstant.nullable(),
  periodEnd: isoInstant.nullable(),
  /** For a failure: its `created` plus the member grace period. */
  graceEndsAt: isoInstant.nullable(),
  order: stripeOrderSchema,
});
export type MemberInvoiceFact = z.infer<typeof memberInvoiceFactSchema>;

export const memberStripeFactSchema = z.discriminatedUnion('kind', [memberSubscriptionFactSchema, memberInvoiceFactSchema]);
export type MemberStripeFact = MemberSubscriptionFact | MemberInvoiceFact;

export type MemberStripeFacts = {
  subscriptions: Record<string, MemberSubscriptionFact>;
  invoices: Record<string, MemberInvoiceFact>;
};
export const noMemberStripeFacts: MemberStripeFacts = { subscriptions: {}, invoices: {} };

/** Facts about one Stripe object merge as tenant billing facts do (domain/shared/stripe-fact-merge.ts). */
export const withMemberFact = (facts: MemberStripeFacts, fact: MemberStripeFact): MemberStripeFacts => withStripeFact(facts, fact);
