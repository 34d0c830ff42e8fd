import type { EventEnvelope } from '../../infra/event-store/port';

/** One change of a member's subscription columns: the SET clause and its values from $5 on. */
export type SubscriptionChange = { set: string; values: unknown[] };

/** The terms as the view shows them; events written before Stripe dues carry no billing: manual. */
function termsOf(data: Record<string, any>) {
  const { billing = 'manual', membershipTypeId, interval, amountCents, monthlyAmountCents, currency, periodStart, periodEnd } = data;
  return { billing, membershipTypeId, interval, amountCents, monthlyAmountCents, currency, periodStart, periodEnd };
}

/** Amends the subscription in force; with none (NULL) it stays NULL, as `||` on NULL is NULL. */
const amend = (fields: Record<string, unknown>): SubscriptionChange =>
  ({ set: 'subscription = subscription || $5::jsonb', values: [JSON.stringify(fields)] });

/**
 * The member view's subscription (DESIGN §11), with its status, kept in rm_members.subscription
 * while in force (the scheduler reads it there: command-api/scheduler/due-work.ts) and moved to
 * cancelled_subscription when it ends; subscription_status follows both (migration 014). Terms
 * events replace the whole of it, which clears a pending change and a grace; the others amend it.
 * Null for an event that is not about the subscription.
 */
export function subscriptionChangeOf(event: EventEnvelope): SubscriptionChange | null {
  const data = event.data as Record<string, any>;
  switch (event.type) {
    case 'SubscriptionStarted':
    case 'SubscriptionPlanChanged':
    case 'SubscriptionReinstated':
      return { set: 'subscription = $5::jsonb, cancelled_subscription = NULL', values: [JSON.stringify({
        ...termsOf(data), status: 'active', cancelAtPeriodEnd: false, pendingChange: null, graceEndsAt: null,
      })] };
    case 'SubscriptionPlanChangeScheduled': {
      const { membershipTypeId, interval, amountCents, monthlyAmountCents, currency, periodStart } = data;
      // The scheduled terms apply from their periodStart: the current period's end.
      return amend({ pendingChange: { membershipTypeId, interval, amountCents, monthlyAmountCents, currency, effectiveAt: periodStart } });
    }
    case 'SubscriptionCancellationScheduled':
      return amend({ cancelAtPeriodEnd: true });
    case 'SubscriptionCancellationWithdrawn':
      return amend({ cancelAtPeriodEnd: false });
    case 'SubscriptionRenewed':
      return amend({ periodStart: data.periodStart, periodEnd: data.periodEnd, status: 'active', graceEndsAt: null });
    case 'SubscriptionPastDue':
      return amend({ status: 'past_due', graceEndsAt: data.graceEndsAt });
    case 'SubscriptionLapsed':
      return amend({ status: 'lapsed', graceEndsAt: null });
    case 'SubscriptionCancelled':
      return { set: `cancelled_subscription = coalesce(subscription || $5::jsonb, cancelled_subscription), subscription = NULL`,
        values: [JSON.stringify({ status: 'cancelled', pendingChange: null, graceEndsAt: null })] };
    default:
      return null;
  }
}
