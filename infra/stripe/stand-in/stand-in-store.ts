import type Stripe from 'stripe';
import type { CatalogEntry } from './catalog-objects';
import type { CheckoutExtras } from './checkout-objects';

export type SessionRecord = { session: Stripe.Checkout.Session; extras: CheckoutExtras };

/**
 * `period` counts renewals from the billing-cycle anchor (0 = the first period), so each period end
 * is computed from the anchor and month-end clamping never drifts. `openInvoice` is the renewal
 * invoice a failed payment left unpaid; paying it does not advance the period again.
 */
export type SubscriptionRecord = { subscription: Stripe.Subscription; period: number; openInvoice: string | null };

/**
 * Everything one Stripe account holds, in memory only: the platform has one store, each connected
 * account its own, so an id from one is "No such …" in another. Objects here are live; events hold
 * snapshots. `catalog` is keyed by price id; `products` holds every product, priced or not.
 */
export type StandInStore = {
  catalog: Map<string, CatalogEntry>;
  products: Map<string, Stripe.Product>;
  customers: Map<string, Stripe.Customer>;
  sessions: Map<string, SessionRecord>;
  subscriptions: Map<string, SubscriptionRecord>;
  invoices: Map<string, Stripe.Invoice>;
  /** Proration items; pending (`invoice: null`) until the next invoice of their subscription takes them. */
  invoiceItems: Map<string, Stripe.InvoiceItem>;
  portalSessions: Map<string, Stripe.BillingPortal.Session>;
  meterEvents: Stripe.Billing.MeterEvent[];
  /** identifier → `created` of the accepted meter event, for the rolling 24 h uniqueness window. */
  meterIdentifiers: Map<string, number>;
};

export function createStore(catalog: Map<string, CatalogEntry>): StandInStore {
  return {
    catalog,
    products: new Map([...catalog.values()].map((entry) => [entry.product.id, entry.product])),
    customers: new Map(),
    sessions: new Map(),
    subscriptions: new Map(),
    invoices: new Map(),
    invoiceItems: new Map(),
    portalSessions: new Map(),
    meterEvents: [],
    meterIdentifiers: new Map(),
  };
}

/** Lookups for the control surface, where an unknown id is a bug in the caller, not a Stripe error. */
export function requireSubscription(store: StandInStore, id: string): SubscriptionRecord {
  const record = store.subscriptions.get(id);
  if (record === undefined) throw new Error(`stripe stand-in: no subscription ${id}`);
  return record;
}

export function requireCatalogEntry(store: StandInStore, priceId: string): CatalogEntry {
  const entry = store.catalog.get(priceId);
  if (entry === undefined) throw new Error(`stripe stand-in: no price ${priceId}`);
  return entry;
}

/** Our subscriptions have exactly one item; Checkout and the portal never create more. */
export function onlyItem(subscription: Stripe.Subscription): Stripe.SubscriptionItem {
  const item = subscription.items.data[0];
  if (item === undefined) throw new Error(`stripe stand-in: subscription ${subscription.id} has no item`);
  return item;
}

export function customerOf(store: StandInStore, subscription: Stripe.Subscription): Stripe.Customer {
  const id = typeof subscription.customer === 'string' ? subscription.customer : subscription.customer.id;
  const customer = store.customers.get(id);
  if (customer === undefined) throw new Error(`stripe stand-in: no customer ${id}`);
  return customer;
}
