import Stripe from 'stripe';
import { formatDate } from './html';
import { newId } from './ids';

export type ProrationInput = {
  subscription: Stripe.Subscription;
  item: Stripe.SubscriptionItem;
  price: Stripe.Price;
  productName: string;
  amount: number;
  /** Credit for the unused time on the old price, or charge for the remaining time on the new one. */
  kind: 'unused' | 'remaining';
  now: number;
};

/** A pending proration invoice item, as Stripe makes one when a price changes mid-period. */
export function buildProrationItem(input: ProrationInput): Stripe.InvoiceItem {
  const quantity = input.item.quantity ?? 1;
  const label = input.kind === 'unused' ? 'Unused time on' : 'Remaining time on';
  return {
    id: newId('ii'),
    object: 'invoiceitem',
    amount: input.amount,
    currency: input.price.currency,
    customer: String(input.subscription.customer),
    customer_account: null,
    date: input.now,
    description: `${label} ${quantity} × ${input.productName} after ${formatDate(input.now)}`,
    discountable: false,
    discounts: [],
    invoice: null,
    livemode: false,
    metadata: {},
    parent: {
      type: 'subscription_details',
      subscription_details: { subscription: input.subscription.id, subscription_item: input.item.id },
    },
    period: { start: input.now, end: input.item.current_period_end },
    pricing: {
      type: 'price_details',
      price_details: { price: input.price.id, product: String(input.price.product) },
      unit_amount_decimal: input.price.unit_amount_decimal,
    },
    proration: true,
    quantity,
    quantity_decimal: Stripe.Decimal.from(String(quantity)),
    tax_rates: [],
    test_clock: null,
  };
}

/** The line an invoice shows for an invoice item it took. */
export function buildItemLine(invoiceId: string, item: Stripe.InvoiceItem): Stripe.InvoiceLineItem {
  const subscription = item.parent?.subscription_details?.subscription ?? null;
  return {
    id: newId('il'),
    object: 'line_item',
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    discount_amounts: [],
    discountable: item.discountable,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: {
      type: 'invoice_item_details',
      invoice_item_details: { invoice_item: item.id, proration: item.proration, proration_details: { credited_items: null }, subscription },
      subscription_item_details: null,
    },
    period: item.period,
    pretax_credit_amounts: [],
    pricing: item.pricing,
    quantity: item.quantity,
    quantity_decimal: item.quantity_decimal,
    subscription,
    subtotal: item.amount,
    taxes: [],
  };
}
