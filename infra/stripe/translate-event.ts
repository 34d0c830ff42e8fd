import type Stripe from 'stripe';
import type { BillingNotification } from './port';
import { translateConnectEvent } from './translate-connect-event';
import { idOf } from './stripe-ids';


/** The tenant our checkout put in the metadata, if any (the customer link finds it otherwise). */
const tenantIn = (metadata: Stripe.Metadata | null | undefined) => metadata?.tenantId ?? null;

/** A Stripe event in our own words; the types the platform does not act on are 'ignored'. */
export function translateStripeEvent(event: Stripe.Event): BillingNotification {
  const base = { eventId: event.id, type: event.type, created: event.created };
  // A Connect event is about a tenant's own account and its members, never the tenant's billing.
  if (event.account) return translateConnectEvent(event, event.account);
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      const customerId = idOf(session.customer);
      if (session.mode !== 'subscription' || customerId === null) return { kind: 'ignored', ...base };
      // Only the metadata our server set: a buyer can choose client_reference_id on a Payment Link.
      return { kind: 'checkout-completed', ...base, tenantId: tenantIn(session.metadata),
        customerId, checkoutSessionId: session.id, subscriptionId: idOf(session.subscription) };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const subscription = event.data.object;
      const item = subscription.items.data[0];
      const customerId = idOf(subscription.customer);
      if (customerId === null) throw new Error('a subscription without a customer');
      return {
        kind: 'subscription', ...base, tenantId: tenantIn(subscription.metadata), customerId,
        subscriptionId: subscription.id,
        status: event.type === 'customer.subscription.deleted' ? 'canceled' : subscription.status,
        priceId: item?.price.id ?? null,
        // Since API version 2025-03-31 the period lives on the subscription's items.
        currentPeriodEnd: item?.current_period_end ?? null,
        cancelAtPeriodEnd: subscription.cancel_at_period_end,
      };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      const details = invoice.parent?.subscription_details ?? null;
      const customerId = idOf(invoice.customer);
      if (customerId === null) return { kind: 'ignored', ...base };
      return {
        kind: 'invoice', ...base, tenantId: tenantIn(details?.metadata) ?? tenantIn(invoice.metadata), customerId,
        invoiceId: invoice.id!, subscriptionId: idOf(details?.subscription), outcome: event.type === 'invoice.paid' ? 'paid' : 'failed',
      };
    }
    default:
      return { kind: 'ignored', ...base };
  }
}
