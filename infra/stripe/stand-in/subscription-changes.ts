import type Stripe from 'stripe';
import { periodBoundary } from './billing-period';
import { invalidState } from './stripe-errors';
import { issueInvoice, markPaid, type LifecycleContext } from './invoice-outcomes';
import { snapshot } from './object-diff';
import { createProrations, invoiceProrations, pendingItems, takePendingItems, type ProrationBehavior } from './prorations';
import { onlyItem, requireCatalogEntry, requireSubscription, type SubscriptionRecord } from './stand-in-store';

/**
 * What a customer (portal) or the merchant (API) may change on a subscription. Each change yields
 * one customer.subscription.updated with Stripe's previous_attributes, or nothing when nothing changed.
 * Price changes keep the item id. Within the same interval they keep the period; `proration`
 * decides what is billed (see prorations.ts): `create_prorations` leaves pending proration items for
 * the next invoice, `always_invoice` invoices them at once (adding an invoice.paid), `none` (and
 * leaving it out, as the portal and `changePrice` do) bills the new price from the next period.
 * A change of interval (month ↔ year) resets the billing cycle to now and is invoiced at once for
 * the full new price, as Stripe does; that adds an invoice.paid (the old price's unused time is not credited).
 */
export type SubscriptionChange = {
  priceId?: string;
  proration?: ProrationBehavior;
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
  const proration = change.proration ?? 'none';
  const switched = change.priceId === undefined ? 'unchanged' : switchPrice(context, record, change.priceId, proration);
  if (change.cancelAtPeriodEnd !== undefined) setCancelAtPeriodEnd(subscription, change.cancelAtPeriodEnd, context.now());
  if (change.metadata !== undefined) subscription.metadata = change.metadata;
  if (change.status !== undefined) subscription.status = change.status;
  const invoice = invoiceNow(context, record, switched, proration);
  if (invoice !== null) {
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

type PriceSwitch = 'unchanged' | 'kept-cycle' | 'reset-cycle';

/** Switches the item's price, leaving proration items pending when asked to. */
function switchPrice(context: LifecycleContext, record: SubscriptionRecord, priceId: string, proration: ProrationBehavior): PriceSwitch {
  const entry = requireCatalogEntry(context.store, priceId);
  const { subscription } = record;
  const item = onlyItem(subscription);
  if (item.price.id === priceId) return 'unchanged';
  const oldItem = snapshot(item);
  const intervalChanged = item.price.recurring?.interval !== entry.input.interval;
  item.price = entry.price;
  item.plan = entry.plan;
  subscription.currency = entry.price.currency;
  if (!intervalChanged) {
    if (proration !== 'none') createProrations(context, record, oldItem, entry);
    return 'kept-cycle';
  }
  const now = context.now();
  record.period = 0;
  record.openInvoice = null;
  subscription.billing_cycle_anchor = now;
  item.current_period_start = now;
  item.current_period_end = periodBoundary(now, entry.input.interval, 1);
  return 'reset-cycle';
}

/** The invoice a switch makes at once, built after all other changes so it carries the new metadata. */
function invoiceNow(context: LifecycleContext, record: SubscriptionRecord, switched: PriceSwitch, proration: ProrationBehavior): Stripe.Invoice | null {
  const { subscription } = record;
  if (switched === 'reset-cycle') {
    const invoice = issueInvoice(context, subscription, 'subscription_update');
    takePendingItems(context, invoice, subscription.id);
    return invoice;
  }
  if (switched === 'kept-cycle' && proration === 'always_invoice' && pendingItems(context, subscription.id).length > 0) {
    return invoiceProrations(context, record);
  }
  return null;
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
