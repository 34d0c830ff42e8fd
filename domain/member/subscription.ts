import { conflict } from '../shared/domain-error';
import { addMonthsUtc, isAtOrAfter } from '../shared/time';
import type { MemberEvent, SubscriptionTerms } from './events';
import { requireStatus } from './require-status';
import type { Member } from './state';

/** The membership type as the application loaded it: the price comes from there, not the caller. */
export type PricedMembershipType = { membershipTypeId: string; monthlyPriceCents: number; currency: string };

export type StartOrChangeSubscription = {
  type: 'StartOrChangeSubscription';
  membershipType: PricedMembershipType;
  interval: 'month' | 'year';
  now: string;
};
export type CancelSubscription = { type: 'CancelSubscription'; atPeriodEnd: boolean; now: string };
/** Sent by the scheduler when a period ends. */
export type RenewSubscription = { type: 'RenewSubscription'; now: string };

export type SubscriptionCommand = StartOrChangeSubscription | CancelSubscription | RenewSubscription;

/** How many months a subscription interval charges for: one definition for prices, periods and MRR. */
export const monthsPerInterval = { month: 1, year: 12 } as const;

/** 409: there is no subscription in force to change or cancel. */
export const noActiveSubscription = () => conflict('no-active-subscription', 'This member has no subscription in force to change or cancel.');

export function decideSubscription(command: SubscriptionCommand, member: Member): MemberEvent[] {
  switch (command.type) {
    case 'StartOrChangeSubscription':
      return startOrChange(command, member);
    case 'CancelSubscription':
      return cancel(command, member);
    case 'RenewSubscription':
      return renew(command, member);
  }
}

function startOrChange(command: StartOrChangeSubscription, member: Member): MemberEvent[] {
  requireStatus(member, ['active'], 'member-not-active', 'Only an active member can subscribe.');
  const { membershipType, interval, now } = command;
  const current = member.subscription;
  if (current && current.membershipTypeId === membershipType.membershipTypeId && current.interval === interval) {
    return [];
  }
  const months = monthsPerInterval[interval];
  const terms: SubscriptionTerms = {
    billing: 'manual',
    membershipTypeId: membershipType.membershipTypeId,
    interval,
    amountCents: membershipType.monthlyPriceCents * months,
    monthlyAmountCents: membershipType.monthlyPriceCents,
    currency: membershipType.currency,
    periodStart: now,
    periodEnd: addMonthsUtc(now, months),
  };
  return [{ type: current ? 'SubscriptionPlanChanged' : 'SubscriptionStarted', data: terms }];
}

function cancel(command: CancelSubscription, member: Member): MemberEvent[] {
  const current = member.subscription;
  if (!current) throw noActiveSubscription();
  if (!command.atPeriodEnd) return [{ type: 'SubscriptionCancelled', data: { reason: 'requested' } }];
  if (current.cancelAtPeriodEnd) return [];
  return [{ type: 'SubscriptionCancellationScheduled', data: { cancelAt: current.periodEnd } }];
}

/** Renewal periods one command may catch up on (a scheduler that was down for a long time). */
const maxRenewalsPerCommand = 36;

function renew(command: RenewSubscription, member: Member): MemberEvent[] {
  const current = member.subscription;
  // Stripe renews (or ends) the subscriptions it bills: their events say so (stripe-dues.ts).
  if (!current || current.billing === 'stripe' || !isAtOrAfter(command.now, current.periodEnd)) return [];
  if (current.cancelAtPeriodEnd || member.status !== 'active') {
    return [{ type: 'SubscriptionCancelled', data: { reason: 'period-ended' } }];
  }
  const months = monthsPerInterval[current.interval];
  const events: MemberEvent[] = [];
  let periodEnd = current.periodEnd;
  for (let n = current.periodsRenewed + 2; isAtOrAfter(command.now, periodEnd) && events.length < maxRenewalsPerCommand; n++) {
    const periodStart = periodEnd;
    periodEnd = addMonthsUtc(current.anchor, months * n);
    events.push({ type: 'SubscriptionRenewed', data: { periodStart, periodEnd } });
  }
  return events;
}
