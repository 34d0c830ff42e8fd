import type Stripe from 'stripe';
import type { Period } from './subscription-objects';
import { newId } from './ids';

export type InvoiceInput = {
  subscription: Stripe.Subscription;
  item: Stripe.SubscriptionItem;
  customer: Stripe.Customer;
  billingReason: 'subscription_create' | 'subscription_cycle' | 'subscription_update';
};

/** An invoice for the item's current period, finalized and not yet paid (`markPaid` / `markFailed` finish it). */
export function buildInvoice(input: InvoiceInput, created: number): Stripe.Invoice {
  const id = newId('in');
  const amount = (input.item.price.unit_amount ?? 0) * (input.item.quantity ?? 1);
  const period = { start: input.item.current_period_start, end: input.item.current_period_end };
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Stripe stand-in',
    account_tax_ids: null,
    amount_due: amount,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: amount,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: input.billingReason,
    collection_method: 'charge_automatically',
    created,
    currency: input.subscription.currency,
    custom_fields: null,
    customer: input.customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: input.customer.email,
    customer_name: input.customer.name ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: created,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: [buildInvoiceLine(id, input, amount, period)], has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: { ...input.subscription.metadata },
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { metadata: { ...input.subscription.metadata }, subscription: input.subscription.id },
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: period.end,
    period_start: period.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'open',
    status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: amount,
    subtotal_excluding_tax: amount,
    test_clock: null,
    total: amount,
    total_discount_amounts: [],
    total_excluding_tax: amount,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: created,
  };
}

function buildInvoiceLine(invoiceId: string, input: InvoiceInput, amount: number, period: Period): Stripe.InvoiceLineItem {
  return {
    id: newId('il'),
    object: 'line_item',
    amount,
    currency: input.subscription.currency,
    description: `${input.item.quantity ?? 1} × ${input.item.plan.nickname ?? input.item.price.id}`,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: { ...input.subscription.metadata },
    parent: {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: false,
        proration_details: { credited_items: null },
        subscription: input.subscription.id,
        subscription_item: input.item.id,
      },
    },
    period,
    pretax_credit_amounts: [],
    pricing: {
      type: 'price_details',
      price_details: { price: input.item.price.id, product: String(input.item.price.product) },
      unit_amount_decimal: input.item.price.unit_amount_decimal,
    },
    quantity: input.item.quantity ?? 1,
    quantity_decimal: null,
    subscription: input.subscription.id,
    subtotal: amount,
    taxes: [],
  };
}

/**
 * Adds lines (proration items) to a finalized, unpaid invoice and recomputes its totals. A net credit
 * leaves nothing due; Stripe would credit it to the customer's balance, we only show it as ending_balance.
 */
export function appendLines(invoice: Stripe.Invoice, lines: Stripe.InvoiceLineItem[]): void {
  invoice.lines.data.push(...lines);
  const total = invoice.lines.data.reduce((sum, line) => sum + line.amount, 0);
  invoice.subtotal = total;
  invoice.subtotal_excluding_tax = total;
  invoice.total = total;
  invoice.total_excluding_tax = total;
  invoice.amount_due = Math.max(0, total);
  invoice.amount_remaining = invoice.amount_due;
  invoice.ending_balance = Math.min(0, total);
}
