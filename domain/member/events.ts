import { z } from 'zod';
import type { EventDefinition } from '../shared/event';
import { currencyCode, entityId, isoInstant, minorUnits } from '../shared/schemas';
import { memberStripeFactSchema, type MemberStripeFact } from './stripe-facts';

// Personal data (email, names) will be encrypted per member for crypto-shredding; the fields stay
// strings so an encrypted form can replace them under a new schemaVersion with an upcaster.
const personalName = z.string().min(1).max(100);
export const memberEmail = z.email().max(254);

export const memberRegisteredSchema = z.object({
  memberId: entityId,
  email: memberEmail,
  firstName: personalName,
  lastName: personalName,
  membershipTypeId: entityId.nullable(),
  status: z.enum(['active', 'pending']),
});
export const memberDetailsChangedSchema = z.object({
  email: memberEmail.optional(),
  firstName: personalName.optional(),
  lastName: personalName.optional(),
  membershipTypeId: entityId.nullable().optional(),
});
const withReason = z.object({ reason: z.string().min(1).max(500) });
const empty = z.object({});

/** Who charges a subscription: the tenant itself (`manual`, renewed by the scheduler) or Stripe on the tenant's connected account. */
export const subscriptionBillingSchema = z.enum(['manual', 'stripe']);

export const subscriptionTermsSchema = z.object({
  /** Absent in events written before dues were collected through Stripe: those were all manual. */
  billing: subscriptionBillingSchema.default('manual'),
  membershipTypeId: entityId,
  interval: z.enum(['month', 'year']),
  /** Charged once per interval. */
  amountCents: minorUnits,
  /** The amount normalised to one month: what MRR counts. */
  monthlyAmountCents: minorUnits,
  currency: currencyCode,
  periodStart: isoInstant,
  periodEnd: isoInstant,
});
export const subscriptionCancelledSchema = z.object({
  /** `cancelled-in-stripe`: Stripe deleted the subscription (customer.subscription.deleted). */
  reason: z.enum(['requested', 'period-ended', 'member-deactivated', 'cancelled-in-stripe']),
});
/** A Stripe-billed subscription's payment failed: it still counts (in MRR) until its grace ends. */
export const subscriptionPastDueSchema = z.object({ graceEndsAt: isoInstant });

export type SubscriptionTerms = z.infer<typeof subscriptionTermsSchema>;

export type MemberEvent =
  | { type: 'MemberRegistered'; data: z.infer<typeof memberRegisteredSchema> }
  | { type: 'MemberDetailsChanged'; data: z.infer<typeof memberDetailsChangedSchema> }
  | { type: 'MemberActivated'; data: Record<string, never> }
  | { type: 'MemberSuspended'; data: { reason: string } }
  | { type: 'MemberReactivated'; data: Record<string, never> }
  | { type: 'MemberDeactivated'; data: { reason: string } }
  | { type: 'SubscriptionStarted'; data: SubscriptionTerms }
  | { type: 'SubscriptionPlanChanged'; data: SubscriptionTerms }
  | { type: 'SubscriptionCancellationScheduled'; data: { cancelAt: string } }
  | { type: 'SubscriptionCancelled'; data: z.infer<typeof subscriptionCancelledSchema> }
  | { type: 'SubscriptionRenewed'; data: { periodStart: string; periodEnd: string } }
  /** A downgrade waits for the period's end (DESIGN §11): these terms apply from `periodStart`. */
  | { type: 'SubscriptionPlanChangeScheduled'; data: SubscriptionTerms }
  | { type: 'SubscriptionPastDue'; data: z.infer<typeof subscriptionPastDueSchema> }
  /** Past due beyond the member grace period (the episode ending at `graceEndsAt`): the subscription stops counting, the member keeps their status. */
  | { type: 'SubscriptionLapsed'; data: { graceEndsAt: string } }
  /** A cancellation at period end taken back (in Stripe, or by a new change): the subscription goes on. */
  | { type: 'SubscriptionCancellationWithdrawn'; data: Record<string, never> }
  /**
   * A verified Stripe event about the member's dues, kept so that the member's state is the merge
   * of all of them (stripe-facts.ts); the subscription events above say what it changed.
   */
  | { type: 'MemberStripeFactRecorded'; data: { fact: MemberStripeFact } }
  /** A lapsed subscription paid again (an invoice paid after the lapse): it counts again, on these terms. */
  | { type: 'SubscriptionReinstated'; data: SubscriptionTerms };

export const memberEventDefinitions: Record<MemberEvent['type'], EventDefinition> = {
  MemberRegistered: { schemaVersion: 1, schema: memberRegisteredSchema },
  MemberDetailsChanged: { schemaVersion: 1, schema: memberDetailsChangedSchema },
  MemberActivated: { schemaVersion: 1, schema: empty },
  MemberSuspended: { schemaVersion: 1, schema: withReason },
  MemberReactivated: { schemaVersion: 1, schema: empty },
  MemberDeactivated: { schemaVersion: 1, schema: withReason },
  SubscriptionStarted: { schemaVersion: 1, schema: subscriptionTermsSchema },
  SubscriptionPlanChanged: { schemaVersion: 1, schema: subscriptionTermsSchema },
  SubscriptionCancellationScheduled: { schemaVersion: 1, schema: z.object({ cancelAt: isoInstant }) },
  SubscriptionCancelled: { schemaVersion: 1, schema: subscriptionCancelledSchema },
  SubscriptionRenewed: {
    schemaVersion: 1,
    schema: z.object({ periodStart: isoInstant, periodEnd: isoInstant }),
  },
  SubscriptionPlanChangeScheduled: { schemaVersion: 1, schema: subscriptionTermsSchema },
  SubscriptionPastDue: { schemaVersion: 1, schema: subscriptionPastDueSchema },
  SubscriptionLapsed: { schemaVersion: 1, schema: z.object({ graceEndsAt: isoInstant }) },
  SubscriptionCancellationWithdrawn: { schemaVersion: 1, schema: empty },
  MemberStripeFactRecorded: { schemaVersion: 1, schema: z.object({ fact: memberStripeFactSchema }) },
  SubscriptionReinstated: { schemaVersion: 1, schema: subscriptionTermsSchema },
};
