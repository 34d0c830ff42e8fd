import { isNewer, type StripeOrder } from './stripe-order';

/** What the merge needs of a fact about a Stripe subscription or invoice (tenant billing, member dues). */
type SubscriptionFactLike = { kind: 'subscription'; subscriptionId: string; status: string; order: StripeOrder };
type InvoiceFactLike = { kind: 'invoice'; invoiceId: string; outcome: 'paid' | 'failed'; graceEndsAt: string | null; order: StripeOrder };
export type StripeFactLike = SubscriptionFactLike | InvoiceFactLike;

const newest = <T extends { order: StripeOrder }>(a: T, b: T) => (isNewer(b.order, a.order) ? b : a);
const isAwaitingPayment = (fact: SubscriptionFactLike) => fact.status === 'incomplete' || fact.status === 'incomplete_expired';

/**
 * The one fact that stands for a Stripe object after both were received, whichever came first
 * (commutative, associative, idempotent: the state is a function of the set of facts):
 * - a canceled subscription stays canceled: no other fact of it, older or newer, revives it;
 * - a subscription once paid for never returns to awaiting its first payment (`incomplete*`);
 * - a paid invoice stays paid; a failed one keeps the grace of its earliest failure (Stripe's
 *   retries fail the same invoice again, and must not extend the grace period);
 * - otherwise the newest fact wins.
 */
export function mergeStripeFacts<F extends StripeFactLike>(a: F, b: F): F {
  if (a.kind === 'subscription' && b.kind === 'subscription') {
    if ((a.status === 'canceled') !== (b.status === 'canceled')) return a.status === 'canceled' ? a : b;
    if (isAwaitingPayment(a) !== isAwaitingPayment(b)) return isAwaitingPayment(a) ? b : a;
    return newest(a, b);
  }
  if (a.kind === 'invoice' && b.kind === 'invoice') {
    if (a.outcome !== b.outcome) return a.outcome === 'paid' ? a : b;
    const winner = newest<InvoiceFactLike>(a, b);
    if (winner.outcome === 'paid') return winner as F;
    const grace = [a.graceEndsAt, b.graceEndsAt].filter((g): g is string => g !== null).sort()[0] ?? null;
    return { ...winner, graceEndsAt: grace } as F;
  }
  throw new Error('mergeStripeFacts: facts of different kinds');
}

/** The facts known of each Stripe object, with one more merged in. */
export function withStripeFact<S extends SubscriptionFactLike, I extends InvoiceFactLike, T extends { subscriptions: Record<string, S>; invoices: Record<string, I> }>(
  facts: T, fact: S | I,
): T {
  if (fact.kind === 'subscription') {
    const known = facts.subscriptions[fact.subscriptionId];
    return { ...facts, subscriptions: { ...facts.subscriptions, [fact.subscriptionId]: known ? mergeStripeFacts(known, fact) : fact } };
  }
  const known = facts.invoices[fact.invoiceId];
  return { ...facts, invoices: { ...facts.invoices, [fact.invoiceId]: known ? mergeStripeFacts(known, fact) : fact } };
}
