import type { MemberEvent, SubscriptionTerms } from './events';
import { withMemberFact, type MemberStripeFact, type MemberStripeFacts, type MemberSubscriptionFact } from './stripe-facts';
import type { Member } from './state';
import { isNewer } from '../shared/stripe-order';
import { addMonthsUtc, isAtOrAfter } from '../shared/time';
import { conflict } from '../shared/domain-error';
import { requireStatus } from './require-status';
import { monthsPerInterval, noActiveSubscription } from './subscription';

/** A member's Stripe-billed subscription as its facts say (null: none has started). */
export type DuesView = {
  subscriptionId: string;
  status: 'active' | 'past_due' | 'lapsed' | 'cancelled';
  terms: SubscriptionTerms;
  cancelAtPeriodEnd: boolean;
  graceEndsAt: string | null;
  /** A downgrade waiting for the period's end: the terms from then on. */
  pendingChange: SubscriptionTerms | null;
};

/** A verified Stripe event about the member's dues, in our words (command-api/billing). */
export type RecordMemberStripeFact = { type: 'RecordMemberStripeFact'; fact: MemberStripeFact };
/** Sent by the scheduler: past due beyond the member grace period, the subscription lapses. */
export type LapseMemberSubscription = { type: 'LapseMemberSubscription'; now: string };

const started = new Set(['trialing', 'active', 'past_due', 'unpaid', 'paused']);

/** The subscription that stands for the member: the newest one in force, else the newest ended one. */
function currentSubscription(facts: MemberStripeFacts): MemberSubscriptionFact | undefined {
  const all = Object.values(facts.subscriptions).filter((s) => started.has(s.status) || s.status === 'canceled');
  const pick = (list: MemberSubscriptionFact[]) => list.reduce<MemberSubscriptionFact | undefined>(
    (best, s) => (!best || isNewer(s.order, best.order) ? s : best), undefined);
  return pick(all.filter((s) => s.status !== 'canceled')) ?? pick(all);
}

export function duesView(facts: MemberStripeFacts, lapsedEpisodes: readonly string[]): DuesView | null {
  const subscription = currentSubscription(facts);
  if (!subscription) return null;
  const invoices = Object.values(facts.invoices).filter((i) => i.subscriptionId === subscription.subscriptionId);
  // The period runs to the latest one paid for, or the subscription's own, whichever is later.
  let { periodStart, periodEnd } = subscription;
  for (const invoice of invoices) {
    if (invoice.outcome === 'paid' && invoice.periodStart && invoice.periodEnd && invoice.periodEnd > periodEnd) {
      ({ periodStart, periodEnd } = { periodStart: invoice.periodStart, periodEnd: invoice.periodEnd });
    }
  }
  // A failure stays open until its invoice is paid, or until Stripe says, later, that the
  // subscription is in good standing (the invoice was voided or written off).
  const goodStanding = subscription.status === 'active' || subscription.status === 'trialing';
  const failures = invoices.filter((i) => i.outcome === 'failed' && !(goodStanding && isNewer(subscription.order, i.order)))
    .map((i) => i.graceEndsAt!).sort();
  const stripePastDue = subscription.status === 'past_due' || subscription.status === 'unpaid';
  const graceEndsAt = failures[0] ?? (stripePastDue ? subscription.graceEndsAt : null);
  const status = subscription.status === 'canceled' ? 'cancelled'
    : graceEndsAt === null ? 'active' : lapsedEpisodes.includes(graceEndsAt) ? 'lapsed' : 'past_due';
  // A scheduled change is in force once a period starting at or after its date has begun.
  const pending = subscription.pendingChange;
  const inForce = pending !== null && periodStart >= pending.from ? pending : subscription;
  const termsOf = (terms: Pick<MemberSubscriptionFact, 'membershipTypeId' | 'interval' | 'monthlyPriceCents' | 'currency'>, start: string, end: string): SubscriptionTerms => ({
    billing: 'stripe', membershipTypeId: terms.membershipTypeId, interval: terms.interval,
    amountCents: terms.monthlyPriceCents * monthsPerInterval[terms.interval], monthlyAmountCents: terms.monthlyPriceCents,
    currency: terms.currency, periodStart: start, periodEnd: end,
  });
  return {
    subscriptionId: subscription.subscriptionId, status, cancelAtPeriodEnd: subscription.cancelAtPeriodEnd && status !== 'cancelled',
    graceEndsAt: status === 'past_due' ? graceEndsAt : null,
    terms: termsOf(inForce, periodStart, periodEnd),
    pendingChange: pending !== null && inForce !== pending && status !== 'cancelled'
      ? termsOf(pending, pending.from, addMonthsUtc(pending.from, monthsPerInterval[pending.interval])) : null,
  };
}

/** [] when the fact teaches nothing new; otherwise the fact, then what changed for the member. */
export function decideStripeFact(command: RecordMemberStripeFact, member: Member): MemberEvent[] {
  const merged = withMemberFact(member.stripe.facts, command.fact);
  if (JSON.stringify(merged) === JSON.stringify(member.stripe.facts)) return [];
  const before = duesView(member.stripe.facts, member.stripe.lapsedEpisodes);
  const after = duesView(merged, member.stripe.lapsedEpisodes);
  return [{ type: 'MemberStripeFactRecorded', data: { fact: command.fact } }, ...duesTransitions(before, after)];
}

export function decideLapse(command: LapseMemberSubscription, member: Member): MemberEvent[] {
  const view = duesView(member.stripe.facts, member.stripe.lapsedEpisodes);
  if (view?.status !== 'past_due' || view.graceEndsAt === null || !isAtOrAfter(command.now, view.graceEndsAt)) return [];
  return [{ type: 'SubscriptionLapsed', data: { graceEndsAt: view.graceEndsAt } }];
}

const sameTerms = (a: SubscriptionTerms, b: SubscriptionTerms) => a.membershipTypeId === b.membershipTypeId
  && a.interval === b.interval && a.monthlyAmountCents === b.monthlyAmountCents && a.currency === b.currency;

const cancelled: MemberEvent = { type: 'SubscriptionCancelled', data: { reason: 'cancelled-in-stripe' } };

/** The subscription events that take the member's view from `before` to `after`. */
export function duesTransitions(before: DuesView | null, after: DuesView | null): MemberEvent[] {
  const held = before !== null && before.status !== 'cancelled';
  // A view gone (its subscription turned out never paid) ends like a cancellation.
  if (!after || after.status === 'cancelled') return held ? [cancelled] : [];
  const events = termsTransitions(before, after);
  // Each of those events leaves the subscription active, not cancelling, with no change pending
  // (state.ts): what remains to say is measured from there.
  const reset = events.length > 0;
  const statusBefore = reset ? 'active' : before!.status;
  const graceBefore = reset ? null : before!.graceEndsAt;
  const cancellingBefore = reset ? false : before!.cancelAtPeriodEnd;
  const pendingBefore = reset ? null : before!.pendingChange;
  if (after.status === 'past_due' && (statusBefore !== 'past_due' || graceBefore !== after.graceEndsAt)) {
    events.push({ type: 'SubscriptionPastDue', data: { graceEndsAt: after.graceEndsAt! } });
  }
  if (after.cancelAtPeriodEnd && !cancellingBefore) events.push({ type: 'SubscriptionCancellationScheduled', data: { cancelAt: after.terms.periodEnd } });
  if (!after.cancelAtPeriodEnd && cancellingBefore) events.push({ type: 'SubscriptionCancellationWithdrawn', data: {} });
  if (after.pendingChange && JSON.stringify(after.pendingChange) !== JSON.stringify(pendingBefore)) {
    events.push({ type: 'SubscriptionPlanChangeScheduled', data: after.pendingChange });
  }
  return events;
}

/** What changed in the terms: a start, a reinstatement, a change (a pending one taken back too), a renewal. */
function termsTransitions(before: DuesView | null, after: DuesView): MemberEvent[] {
  if (!before || before.status === 'cancelled' || before.subscriptionId !== after.subscriptionId) {
    return [{ type: 'SubscriptionStarted', data: after.terms }];
  }
  if (before.status === 'lapsed' && after.status !== 'lapsed') return [{ type: 'SubscriptionReinstated', data: after.terms }];
  // The terms in force, said again, also clear a scheduled change that was taken back.
  if (!sameTerms(before.terms, after.terms) || (before.pendingChange && !after.pendingChange)) {
    return [{ type: 'SubscriptionPlanChanged', data: after.terms }];
  }
  if (after.terms.periodEnd > before.terms.periodEnd || (before.status === 'past_due' && after.status === 'active')) {
    return [{ type: 'SubscriptionRenewed', data: { periodStart: after.terms.periodStart, periodEnd: after.terms.periodEnd } }];
  }
  return [];
}

/**
 * Who may be sent to a Stripe checkout for dues: an active member without a subscription (one
 * is changed or cancelled through its own routes, not bought twice).
 */
export function requireCheckoutAllowed(member: Member) {
  requireStatus(member, ['active'], 'member-not-active', 'Only an active member can subscribe.');
  // A lapsed subscription may still be alive in Stripe (retrying, or unpaid): it is cancelled
  // first, or it could charge the member beside the new one.
  if (member.subscription) {
    throw conflict('subscription-exists', 'This member already has a subscription: change or cancel it instead.');
  }
}

/** The Stripe-billed subscription a change or cancellation is about, or a 409. */
export function requireDuesInForce(member: Member): DuesView {
  const view = duesView(member.stripe.facts, member.stripe.lapsedEpisodes);
  if (!view || view.status === 'cancelled') throw noActiveSubscription();
  return view;
}
