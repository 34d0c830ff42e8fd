import type Stripe from 'stripe';
import { appendLines } from './invoice-objects';
import { issueInvoice, type LifecycleContext } from './invoice-outcomes';
import { buildItemLine, buildProrationItem } from './proration-objects';
import type { CatalogEntry } from './catalog-objects';
import type { SubscriptionRecord } from './stand-in-store';

/** Stripe's `proration_behavior` on a subscription update. */
export type ProrationBehavior = 'create_prorations' | 'none' | 'always_invoice';
export const prorationBehaviors = ['create_prorations', 'none', 'always_invoice'] as const;

/**
 * A price switch inside the current period, prorated to the second as Stripe does: a credit for
 * the old price's unused share of the period and a charge for the new price's remaining share,
 * as two pending invoice items of the subscription. Returns them (none when no time is left).
 */
export function createProrations(
  context: LifecycleContext,
  record: SubscriptionRecord,
  oldItem: Stripe.SubscriptionItem,
  newEntry: CatalogEntry,
): Stripe.InvoiceItem[] {
  const now = context.now();
  const { subscription } = record;
  const start = oldItem.current_period_start;
  const end = oldItem.current_period_end;
  const share = end > start ? Math.min(1, Math.max(0, (end - now) / (end - start))) : 0;
  const quantity = oldItem.quantity ?? 1;
  const oldName = context.store.catalog.get(oldItem.price.id)?.product.name ?? oldItem.price.id;
  const base = { subscription, item: oldItem, now };
  const items = [
    buildProrationItem({ ...base, price: oldItem.price, productName: oldName, kind: 'unused', amount: -Math.round((oldItem.price.unit_amount ?? 0) * quantity * share) }),
    buildProrationItem({ ...base, price: newEntry.price, productName: newEntry.product.name, kind: 'remaining', amount: Math.round((newEntry.price.unit_amount ?? 0) * quantity * share) }),
  ].filter((item) => item.amount !== 0);
  for (const item of items) context.store.invoiceItems.set(item.id, item);
  return items;
}

/** The subscription's pending invoice items, oldest first. */
export function pendingItems(context: LifecycleContext, subscriptionId: string): Stripe.InvoiceItem[] {
  return [...context.store.invoiceItems.values()].filter(
    (item) => item.invoice === null && item.parent?.subscription_details?.subscription === subscriptionId,
  );
}

/** The next invoice of a subscription takes its pending items: their lines are added to it. */
export function takePendingItems(context: LifecycleContext, invoice: Stripe.Invoice, subscriptionId: string): void {
  const items = pendingItems(context, subscriptionId);
  if (items.length === 0) return;
  for (const item of items) item.invoice = invoice.id;
  appendLines(invoice, items.map((item) => buildItemLine(invoice.id, item)));
}

/** `always_invoice`: an invoice now, holding only the pending prorations (billing_reason subscription_update). */
export function invoiceProrations(context: LifecycleContext, record: SubscriptionRecord): Stripe.Invoice {
  const invoice = issueInvoice(context, record.subscription, 'subscription_update');
  invoice.lines.data = [];
  takePendingItems(context, invoice, record.subscription.id);
  return invoice;
}
