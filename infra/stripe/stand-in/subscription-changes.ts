import type Stripe from 'stripe';
import { periodBoundary } from './billing-period';
import { invalidState } from './stripe-errors';
import { issueInvoice, markPaid, type LifecycleContext } from './invoice-outcomes';
import { snapshot } from './object-diff';
import { onlyItem, requireCatalogEntry, requireSubscription, type SubscriptionRecord } from './stand-in-store';

/**
 * What a customer (portal) or the merchant (API) may change on a subscription. Each change yields
 * one customer.subscription.updated with Stripe's previous_attributes, or nothing when nothing changed.
 * Price changes keep the item id. Within the same interval they keep the period and invoice nothing
 * until renewal (prorations are not modelled). A change of interval (month ↔ year) resets the billing
 * cycle to now and is invoiced at once, as Stripe does; that adds an invoice.paid for the full new price.
 */
export type SubscriptionChange = {
  priceId?: string;
  cancelAtPeriodEnd?: boolean;
  metadata?: Record<string, string>;
  status?: Stripe.Subscription.Status;
};

export function changeSubscription(context: LifecycleContext, subscriptionId: string, change: SubscriptionChange): Stripe.Event[] {
  const record = requireSubscription(context.store, subscriptionId);
  const { subscription } = record;
  const touchesBilling = change.priceId !== undefined || change.cancelAtPeriodEnd !== undefined || change.status !== undefined;
  if (subscription.status === 'canceled' && touchesBilling) throw invalidState('A canceled subscription can only update its cancellation_details and metadata.');
  const before = snapshot(subscription);
  const cycleReset = change.priceId !== undefined && switchPrice(context, record, change.priceId);
  if (change.cancelAtPeriodEnd !== undefined) setCancelAtPeriodEnd(subscription, change.cancelAtPeriodEnd, context.now());
  if (change.metadata !== undefined) subscription.metadata = change.metadata;
  if (change.status !== undefined) subscription.status = change.status;
  if (cycleReset) {
    const invoice = issueInvoice(context, subscription, 'subscription_update');
    markPaid(invoice, context.now());
    subscription.latest_invoice = invoice.id;
    return [context.events.subscriptionUpdated(before, subscription), context.events.invoicePaid(invoice)];
  }
  if (JSON.stringify(before) === JSON.stringify(snapshot(subscription))) return [];
  return [context.events.subscriptionUpdated(before, subscription)];
}

/** Cancels now: status canceled, ended now, customer.subscription.deleted (no previous_attributes). */
export function cancelNow(context: LifecycleContext, subscriptionId: string): Stripe.Event[] {
  const { subscription } = requireSubscription(context.store, subscriptionId);
  if (subscription.status === 'canceled') throw invalidState('This subscription is already canceled.');
  const now = context.now();
  subscription.status = 'canceled';
  subscription.canceled_at = now;
  subscription.ended_at = now;
  subscription.cancel_at = null;
  subscription.cancellation_details = { ...emptyCancellation(), reason: 'cancellation_requested' };
  return [context.events.subscriptionDeleted(subscription)];
}

/** Returns whether the billing cycle was reset (the interval changed). */
function switchPrice(context: LifecycleContext, record: SubscriptionRecord, priceId: string): boolean {
  const entry = requireCatalogEntry(context.store, priceId);
  const { subscription } = record;
  const item = onlyItem(subscription);
  if (item.price.id === priceId) return false;
  const intervalChanged = item.price.recurring?.interval !== entry.input.interval;
  item.price = entry.price;
  item.plan = entry.plan;
  subscription.currency = entry.price.currency;
  if (!intervalChanged) return false;
  const now = context.now();
  record.period = 0;
  record.openInvoice = null;
  subscription.billing_cycle_anchor = now;
  item.current_period_start = now;
  item.current_period_end = periodBoundary(now, entry.input.interval, 1);
  return true;
}

/** Stripe records when cancellation was requested in canceled_at, and the end date in cancel_at. */
function setCancelAtPeriodEnd(subscription: Stripe.Subscription, cancel: boolean, now: number): void {
  if (subscription.cancel_at_period_end === cancel) return;
  subscription.cancel_at_period_end = cancel;
  subscription.cancel_at = cancel ? onlyItem(subscription).current_period_end : null;
  subscription.canceled_at = cancel ? now : null;
  subscription.cancellation_details = cancel ? { ...emptyCancellation(), reason: 'cancellation_requested' } : emptyCancellation();
}

function emptyCancellation(): Stripe.Subscription.CancellationDetails {
  return { comment: null, feedback: null, feedback_option: null, reason: null };
}
