import type { BillingFact, StripeSubscriptionStatus } from '../../domain/tenant';
import type { BillingNotification } from '../../infra/stripe/port';
import type { PriceTable } from '../../infra/stripe/prices';

type Placed = Exclude<BillingNotification, { kind: 'ignored' | 'checkout-completed' }>;

/** Stripe statuses that change nothing (DESIGN §10): the subscription is not paid for yet. */
const inert = new Set(['incomplete', 'incomplete_expired']);
const known = new Set<string>(['trialing', 'active', 'past_due', 'unpaid', 'paused', 'canceled']);

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/**
 * A subscription or invoice notification as the domain's billing fact; 'ignored' for a status
 * that changes nothing, 'unknown-price' for a price that is not one of our plans.
 */
export function billingFactOf(
  notification: Placed, prices: PriceTable, gracePeriodSeconds: number,
): BillingFact | 'ignored' | 'unknown-price' {
  const order = { created: notification.created, eventId: notification.eventId };
  const graceEndsAt = iso(notification.created + gracePeriodSeconds);
  if (notification.kind === 'invoice') {
    const { invoiceId, subscriptionId, customerId, outcome } = notification;
    return { kind: 'invoice', invoiceId, subscriptionId, customerId, outcome, graceEndsAt: outcome === 'failed' ? graceEndsAt : null, order };
  }
  if (inert.has(notification.status) || !known.has(notification.status)) return 'ignored';
  const price = notification.priceId === null ? undefined : prices.planOf(notification.priceId);
  if (!price) return 'unknown-price';
  return {
    kind: 'subscription', subscriptionId: notification.subscriptionId, customerId: notification.customerId,
    status: notification.status as StripeSubscriptionStatus, plan: price.plan, interval: price.interval,
    currentPeriodEnd: notification.currentPeriodEnd === null ? null : iso(notification.currentPeriodEnd),
    cancelAtPeriodEnd: notification.cancelAtPeriodEnd, graceEndsAt, order,
  };
}
