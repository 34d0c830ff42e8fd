import type Stripe from 'stripe';
import type { BillingNotification } from './port';
import { idOf } from './stripe-ids';

/** Our checkout's metadata: who the dues are about (checked by the edge, never trusted alone). */
const duesOf = (metadata: Stripe.Metadata | null | undefined) =>
  ({ tenantId: metadata?.tenantId ?? null, memberId: metadata?.memberId ?? null });

/**
 * A Connect event (`event.account` names the tenant's connected account) in our words: the
 * account's own updates, and the members' dues on it. Anything else on a connected account is
 * 'ignored': it is never taken for the tenant's own billing.
 */
export function translateConnectEvent(event: Stripe.Event, accountId: string): BillingNotification {
  const base = { eventId: event.id, type: event.type, created: event.created };
  switch (event.type) {
    case 'account.updated': {
      const account = event.data.object;
      if (account.id !== accountId) throw new Error('an account.updated about another account');
      return { kind: 'payments-account', ...base, accountId, chargesEnabled: account.charges_enabled === true };
    }
    case 'checkout.session.completed': {
      const session = event.data.object;
      const subscriptionId = idOf(session.subscription);
      if (session.mode !== 'subscription' || subscriptionId === null) return { kind: 'ignored', ...base };
      // Paid later (a debit that clears in days): the subscription's own events say when it starts.
      if (session.payment_status === 'unpaid') return { kind: 'ignored', ...base };
      return { kind: 'member-checkout', ...base, accountId, ...duesOf(session.metadata), checkoutSessionId: session.id, subscriptionId,
        membershipTypeId: session.metadata?.membershipTypeId ?? null, interval: session.metadata?.interval ?? null };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const subscription = event.data.object;
      const item = subscription.items.data[0];
      return {
        kind: 'member-subscription', ...base, accountId, ...duesOf(subscription.metadata), subscriptionId: subscription.id,
        status: event.type === 'customer.subscription.deleted' ? 'canceled' : subscription.status,
        // The interval in force is ours (metadata): after a scheduled downgrade Stripe's price is already the next one.
        membershipTypeId: subscription.metadata?.membershipTypeId ?? null,
        interval: subscription.metadata?.interval || (item?.price.recurring?.interval ?? null),
        pendingMembershipTypeId: subscription.metadata?.pendingMembershipTypeId || null,
        pendingInterval: subscription.metadata?.pendingInterval || null, pendingFrom: subscription.metadata?.pendingFrom || null,
        // Since API version 2025-03-31 the period lives on the subscription's items.
        periodStart: item?.current_period_start ?? null, periodEnd: item?.current_period_end ?? null,
        cancelAtPeriodEnd: subscription.cancel_at_period_end,
      };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      const details = invoice.parent?.subscription_details ?? null;
      const subscriptionId = idOf(details?.subscription);
      if (subscriptionId === null) return { kind: 'ignored', ...base };
      const line = invoice.lines?.data.find((l) => l.period) ?? null;
      return {
        kind: 'member-invoice', ...base, accountId, ...duesOf(details?.metadata), invoiceId: invoice.id!, subscriptionId,
        outcome: event.type === 'invoice.paid' ? 'paid' : 'failed', periodStart: line?.period.start ?? null, periodEnd: line?.period.end ?? null,
      };
    }
    default:
      return { kind: 'ignored', ...base };
  }
}
