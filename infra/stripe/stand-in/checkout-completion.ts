import type Stripe from 'stripe';
import { periodBoundary } from './billing-period';
import { buildSubscription } from './subscription-objects';
import { customerDetails } from './checkout-objects';
import { buildCustomer } from './customer-object';
import { issueInvoice, markPaid, type LifecycleContext } from './invoice-outcomes';
import type { StandInStore, SessionRecord } from './stand-in-store';

/** An open session past `expires_at` reads as expired, as Stripe would show it (we send no event). */
export function currentSession(store: StandInStore, id: string, now: number): SessionRecord | undefined {
  const record = store.sessions.get(id);
  if (record !== undefined && record.session.status === 'open' && now >= record.session.expires_at) {
    record.session.status = 'expired';
    record.session.url = null;
  }
  return record;
}

/**
 * Pressing Pay: the customer (created if the session had none), an active subscription for one
 * period, its first invoice paid, the session complete, all in the account that holds the session.
 * Events in the order the brief fixes: checkout.session.completed, customer.subscription.created,
 * invoice.paid (Connect events when the session is a connected account's).
 */
export function completeCheckout(context: LifecycleContext, sessionId: string): Stripe.Event[] {
  const { store } = context;
  const now = context.now();
  const record = currentSession(store, sessionId, now);
  if (record === undefined) throw new Error(`stripe stand-in: no checkout session ${sessionId}`);
  const { session, extras } = record;
  if (session.status !== 'open') throw new Error(`stripe stand-in: checkout session ${sessionId} is ${session.status}`);
  const entry = store.catalog.get(extras.priceId);
  if (entry === undefined) throw new Error(`stripe stand-in: no price ${extras.priceId}`);

  const customer = findOrCreateCustomer(store, session, now);
  const period = { start: now, end: periodBoundary(now, entry.input.interval, 1) };
  const subscription = buildSubscription(
    { customer: customer.id, entry, quantity: extras.quantity, period, metadata: { ...extras.subscriptionMetadata } },
    now,
  );
  subscription.application_fee_percent = extras.applicationFeePercent;
  store.subscriptions.set(subscription.id, { subscription, period: 0, openInvoice: null });
  const invoice = issueInvoice(context, subscription, 'subscription_create');
  markPaid(invoice, now);
  subscription.latest_invoice = invoice.id;

  session.status = 'complete';
  session.payment_status = 'paid';
  session.customer = customer.id;
  session.subscription = subscription.id;
  session.customer_details = customerDetails(customer.email, customer.name ?? null);
  session.url = null;

  return [
    context.events.checkoutSessionCompleted(session),
    context.events.subscriptionCreated(subscription),
    context.events.invoicePaid(invoice),
  ];
}

function findOrCreateCustomer(store: StandInStore, session: Stripe.Checkout.Session, now: number): Stripe.Customer {
  const existingId = typeof session.customer === 'string' ? session.customer : session.customer?.id;
  const existing = existingId === undefined ? undefined : store.customers.get(existingId);
  if (existing !== undefined) return existing;
  // Checkout asks a new buyer for an email; the stand-in's buyer is "test@example.com" unless prefilled.
  const customer = buildCustomer(
    { email: session.customer_email ?? 'test@example.com', name: null, metadata: { ...(session.metadata ?? {}) } },
    now,
  );
  store.customers.set(customer.id, customer);
  return customer;
}
