import type Stripe from 'stripe';
import { buildInvoice, type InvoiceInput } from './invoice-objects';
import type { EventFactory } from './event-factory';
import { customerOf, onlyItem, type StandInStore } from './stand-in-store';

/**
 * What every lifecycle step needs: one account's state, the event log (stamping that account's
 * events), and the (injectable) clock. `account` is the connected account's id, null for the platform.
 */
export type LifecycleContext = { store: StandInStore; events: EventFactory; now: () => number; account: string | null };

/** Stripe retries a failed renewal a few days later (Smart Retries); we only report the date. */
const RETRY_AFTER_SECONDS = 3 * 24 * 60 * 60;

/** Creates, numbers and stores a finalized invoice for the subscription's current period. */
export function issueInvoice(
  context: LifecycleContext,
  subscription: Stripe.Subscription,
  billingReason: InvoiceInput['billingReason'],
): Stripe.Invoice {
  const customer = customerOf(context.store, subscription);
  const invoice = buildInvoice({ subscription, item: onlyItem(subscription), customer, billingReason }, context.now());
  const sequence = customer.next_invoice_sequence ?? 1;
  invoice.number = `${customer.invoice_prefix ?? 'STANDIN'}-${String(sequence).padStart(4, '0')}`;
  customer.next_invoice_sequence = sequence + 1;
  context.store.invoices.set(invoice.id, invoice);
  return invoice;
}

export function markPaid(invoice: Stripe.Invoice, now: number): void {
  invoice.status = 'paid';
  invoice.attempted = true;
  invoice.attempt_count += 1;
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = now;
}

export function markFailed(invoice: Stripe.Invoice, now: number): void {
  invoice.status = 'open';
  invoice.attempted = true;
  invoice.attempt_count += 1;
  invoice.next_payment_attempt = now + RETRY_AFTER_SECONDS;
}
