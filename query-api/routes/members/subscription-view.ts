/** A subscription's status as the member view shows it; `none` (filter only) is a member never subscribed. */
export const subscriptionStatuses = ['active', 'past_due', 'lapsed', 'cancelled'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];
export const subscriptionStatusFilters = [...subscriptionStatuses, 'none'] as const;

import { z } from 'zod';

/** A downgrade waiting for the period's end (DESIGN §11). */
export type PendingChange = {
  membershipTypeId: string; interval: string; amountCents: number; monthlyAmountCents: number; currency: string; effectiveAt: string;
};

export type SubscriptionView = {
  billing: 'manual' | 'stripe'; membershipTypeId: string; interval: string; amountCents: number; monthlyAmountCents: number;
  currency: string; periodStart: string; periodEnd: string;
  status: SubscriptionStatus; cancelAtPeriodEnd: boolean; pendingChange: PendingChange | null; graceEndsAt: string | null;
};

const pendingChangeSchema = z.object({
  membershipTypeId: z.string(), interval: z.string(), amountCents: z.number().int(), monthlyAmountCents: z.number().int(),
  currency: z.string(), effectiveAt: z.string(),
});

/** SubscriptionView as /docs describes it. */
export const subscriptionViewSchema = z.object({
  billing: z.enum(['manual', 'stripe']), membershipTypeId: z.string(), interval: z.string(), amountCents: z.number().int(),
  monthlyAmountCents: z.number().int(), currency: z.string(), periodStart: z.string(), periodEnd: z.string(),
  status: z.enum(subscriptionStatuses), cancelAtPeriodEnd: z.boolean(), pendingChange: pendingChangeSchema.nullable(),
  graceEndsAt: z.string().nullable(),
});

type StoredSubscription = Record<string, any>;

/**
 * The subscription in force, or the cancelled one, as the projector stored it (migration 014),
 * named field by field so the view's shape is this type whatever else the row's JSON holds.
 * Rows stored before 014 may lack the newer fields: their defaults are what those rows meant.
 */
export function toSubscriptionView(
  row: { subscription: StoredSubscription | null; cancelled_subscription: StoredSubscription | null; subscription_status: string },
): SubscriptionView | null {
  const stored = row.subscription ?? row.cancelled_subscription;
  if (!stored) return null;
  const status = row.subscription_status as SubscriptionStatus;
  return {
    billing: stored.billing ?? 'manual', membershipTypeId: stored.membershipTypeId, interval: stored.interval,
    amountCents: stored.amountCents, monthlyAmountCents: stored.monthlyAmountCents, currency: stored.currency,
    periodStart: stored.periodStart, periodEnd: stored.periodEnd, status,
    cancelAtPeriodEnd: stored.cancelAtPeriodEnd ?? false, pendingChange: stored.pendingChange ?? null,
    graceEndsAt: status === 'past_due' ? stored.graceEndsAt ?? null : null,
  };
}
