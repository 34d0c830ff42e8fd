import { stripeSubscriptionStatusSchema, type BillingFact } from '../../domain/tenant';
import type { PlacedNotification } from '../../infra/stripe/port';
import type { PriceTable } from '../../infra/stripe/prices';
import { isoFromUnixSeconds } from '../../domain/shared/time';

type Placed = Exclude<PlacedNotification, { kind: 'checkout-completed' }>;


const iso = isoFromUnixSeconds;

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
  // Any other status (incomplete, incomplete_expired: not paid for yet) changes nothing (DESIGN §10).
  const status = stripeSubscriptionStatusSchema.safeParse(notification.status);
  if (!status.success) return 'ignored';
  const price = notification.priceId === null ? undefined : prices.planOf(notification.priceId);
  if (!price) return 'unknown-price';
  return {
    kind: 'subscription', subscriptionId: notification.subscriptionId, customerId: notification.customerId,
    status: status.data, plan: price.plan, interval: price.interval,
    currentPeriodEnd: notification.currentPeriodEnd === null ? null : iso(notification.currentPeriodEnd),
    cancelAtPeriodEnd: notification.cancelAtPeriodEnd, graceEndsAt, order,
  };
}
