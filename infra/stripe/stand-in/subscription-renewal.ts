import type Stripe from 'stripe';
import { periodBoundary } from './billing-period';
import { issueInvoice, markFailed, markPaid, type LifecycleContext } from './invoice-outcomes';
import { snapshot } from './object-diff';
import { takePendingItems } from './prorations';
import { onlyItem, requireSubscription, type SubscriptionRecord } from './stand-in-store';

export type RenewalOutcome = 'paid' | 'failed';

/**
 * The end of a billing period, as Stripe runs it. The period advances when it ends, whether or not
 * the payment then succeeds (a failed renewal leaves the subscription past_due in the NEW period
 * with an open invoice). A later attempt on that open invoice pays or fails it without advancing
 * again. The renewal invoice takes the subscription's pending proration items. A subscription set
 * to cancel at period end is ended instead of renewed.
 * Events: invoice.paid | invoice.payment_failed, then customer.subscription.updated if it changed.
 */
export function renewSubscription(context: LifecycleContext, subscriptionId: string, outcome: RenewalOutcome): Stripe.Event[] {
  const record = requireSubscription(context.store, subscriptionId);
  const { subscription } = record;
  if (subscription.status === 'canceled') throw new Error(`stripe stand-in: subscription ${subscriptionId} is canceled`);
  const openInvoice = record.openInvoice === null ? undefined : context.store.invoices.get(record.openInvoice);
  if (openInvoice !== undefined) return settle(context, record, snapshot(subscription), openInvoice, outcome);
  if (subscription.cancel_at_period_end) return endAtPeriodEnd(context, record);

  const before = snapshot(subscription);
  advancePeriod(record);
  const invoice = issueInvoice(context, subscription, 'subscription_cycle');
  takePendingItems(context, invoice, subscription.id);
  subscription.latest_invoice = invoice.id;
  return settle(context, record, before, invoice, outcome);
}

function settle(
  context: LifecycleContext,
  record: SubscriptionRecord,
  before: Stripe.Subscription,
  invoice: Stripe.Invoice,
  outcome: RenewalOutcome,
): Stripe.Event[] {
  const now = context.now();
  const { subscription } = record;
  const events: Stripe.Event[] = [];
  if (outcome === 'paid') {
    markPaid(invoice, now);
    record.openInvoice = null;
    subscription.status = 'active';
    events.push(context.events.invoicePaid(invoice));
  } else {
    markFailed(invoice, now);
    record.openInvoice = invoice.id;
    subscription.status = 'past_due';
    events.push(context.events.invoicePaymentFailed(invoice));
  }
  if (JSON.stringify(before) !== JSON.stringify(snapshot(subscription))) {
    events.push(context.events.subscriptionUpdated(before, subscription));
  }
  return events;
}

function advancePeriod(record: SubscriptionRecord): void {
  const item = onlyItem(record.subscription);
  const interval = item.price.recurring?.interval === 'year' ? 'year' : 'month';
  record.period += 1;
  item.current_period_start = item.current_period_end;
  item.current_period_end = periodBoundary(record.subscription.billing_cycle_anchor, interval, record.period + 1);
}

function endAtPeriodEnd(context: LifecycleContext, record: SubscriptionRecord): Stripe.Event[] {
  const { subscription } = record;
  subscription.status = 'canceled';
  subscription.ended_at = onlyItem(subscription).current_period_end;
  return [context.events.subscriptionDeleted(subscription)];
}
