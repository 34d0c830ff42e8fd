import Stripe from 'stripe';
import { newId } from './ids';
import { previousAttributes, snapshot } from './object-diff';

/**
 * Builds events as Stripe does: a snapshot of the object at that moment, the SDK's API version,
 * and a `created` that never goes backwards. Several events in one second share that second, as on
 * Stripe; their order is the order of `events` (and of delivery), never the order of their ids.
 * A Connect event (something that happened on a connected account) carries that account's id in
 * the top-level `account`; a platform event has no `account` key at all, as on Stripe.
 */
export type EventFactory = {
  checkoutSessionCompleted(session: Stripe.Checkout.Session): Stripe.CheckoutSessionCompletedEvent;
  subscriptionCreated(subscription: Stripe.Subscription): Stripe.CustomerSubscriptionCreatedEvent;
  subscriptionUpdated(before: Stripe.Subscription, after: Stripe.Subscription): Stripe.CustomerSubscriptionUpdatedEvent;
  subscriptionDeleted(subscription: Stripe.Subscription): Stripe.CustomerSubscriptionDeletedEvent;
  invoicePaid(invoice: Stripe.Invoice): Stripe.InvoicePaidEvent;
  invoicePaymentFailed(invoice: Stripe.Invoice): Stripe.InvoicePaymentFailedEvent;
  accountUpdated(before: Stripe.Account, after: Stripe.Account): Stripe.AccountUpdatedEvent;
  /** The same log and clock, stamping every event with the connected account's id. */
  forAccount(account: string): EventFactory;
};

export function createEventFactory(now: () => number, events: Stripe.Event[]): EventFactory {
  let lastCreated = 0;
  const nextCreated = () => {
    lastCreated = Math.max(lastCreated, now());
    return lastCreated;
  };
  const record = <E extends Stripe.Event>(event: E): E => {
    events.push(event);
    return event;
  };
  const build = (account: string | undefined): EventFactory => {
    const base = () => ({
      id: newId('evt'),
      object: 'event' as const,
      ...(account === undefined ? {} : { account }),
      api_version: Stripe.API_VERSION,
      created: nextCreated(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    });
    return {
      checkoutSessionCompleted: (session) =>
        record({ ...base(), type: 'checkout.session.completed', data: { object: snapshot(session) } }),
      subscriptionCreated: (subscription) =>
        record({ ...base(), type: 'customer.subscription.created', data: { object: snapshot(subscription) } }),
      subscriptionUpdated: (before, after) =>
        record({
          ...base(),
          type: 'customer.subscription.updated',
          // The diff is computed over JSON, so TypeScript cannot see it is a partial subscription.
          data: { object: snapshot(after), previous_attributes: previousAttributes(before, after) as Partial<Stripe.Subscription> },
        }),
      subscriptionDeleted: (subscription) =>
        record({ ...base(), type: 'customer.subscription.deleted', data: { object: snapshot(subscription) } }),
      invoicePaid: (invoice) => record({ ...base(), type: 'invoice.paid', data: { object: snapshot(invoice) } }),
      invoicePaymentFailed: (invoice) =>
        record({ ...base(), type: 'invoice.payment_failed', data: { object: snapshot(invoice) } }),
      accountUpdated: (before, after) =>
        record({
          ...base(),
          type: 'account.updated',
          data: { object: snapshot(after), previous_attributes: previousAttributes(before, after) as Partial<Stripe.Account> },
        }),
      forAccount: (connected) => build(connected),
    };
  };
  return build(undefined);
}
