import { assertNever } from '../shared/event';
import type { MemberEvent, SubscriptionTerms } from './events';
import { noMemberStripeFacts, withMemberFact, type MemberStripeFacts } from './stripe-facts';

export type MemberStatus = 'pending' | 'active' | 'suspended' | 'inactive';

/** The members a plan's member limit counts (DESIGN §10): a deactivated member frees its seat. */
export const seatHoldingStatuses: readonly MemberStatus[] = ['pending', 'active', 'suspended'];

/**
 * `anchor` is where the subscription's periods are counted from and `periodsRenewed` how many
 * renewals there have been: period n ends at anchor + (n + 1) intervals, so a subscription started
 * on 31 January renews to 28 February, then 31 March, never drifting to the 28th.
 */
export type Subscription = SubscriptionTerms & {
  cancelAtPeriodEnd: boolean; anchor: string; periodsRenewed: number;
  /** `past_due` while a Stripe payment is failing (until `graceEndsAt`), `lapsed` after: no longer counted. */
  status: 'active' | 'past_due' | 'lapsed';
  graceEndsAt: string | null;
  /** A downgrade scheduled for the period's end. */
  pendingChange: SubscriptionTerms | null;
};

export type Member = {
  memberId: string;
  email: string;
  firstName: string;
  lastName: string;
  status: MemberStatus;
  membershipTypeId: string | null;
  subscription: Subscription | null;
  /** Dues through Stripe (DESIGN §11): the facts received, and the dunning episodes that lapsed. */
  stripe: { facts: MemberStripeFacts; lapsedEpisodes: string[] };
};

export type MemberState = { kind: 'absent' } | ({ kind: 'registered' } & Member);

export const initialMemberState: MemberState = { kind: 'absent' };

/** Never throws: an event that does not apply to the state leaves it as it is. */
export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  if (event.type === 'MemberRegistered') {
    return { kind: 'registered', ...event.data, subscription: null, stripe: { facts: noMemberStripeFacts, lapsedEpisodes: [] } };
  }
  if (state.kind === 'absent') return state;
  switch (event.type) {
    case 'MemberDetailsChanged':
      return { ...state, ...withoutUndefined(event.data) };
    case 'MemberActivated':
    case 'MemberReactivated':
      return { ...state, status: 'active' };
    case 'MemberSuspended':
      return { ...state, status: 'suspended' };
    case 'MemberDeactivated':
      return { ...state, status: 'inactive' };
    case 'SubscriptionStarted':
    case 'SubscriptionPlanChanged':
    case 'SubscriptionReinstated':
      return { ...state, subscription: {
        ...event.data, cancelAtPeriodEnd: false, anchor: event.data.periodStart, periodsRenewed: 0, status: 'active', graceEndsAt: null, pendingChange: null,
      } };
    case 'SubscriptionPlanChangeScheduled':
      return state.subscription ? { ...state, subscription: { ...state.subscription, pendingChange: event.data } } : state;
    case 'SubscriptionPastDue':
      return state.subscription ? { ...state, subscription: { ...state.subscription, status: 'past_due', graceEndsAt: event.data.graceEndsAt } } : state;
    case 'SubscriptionLapsed':
      return {
        ...state, stripe: { ...state.stripe, lapsedEpisodes: [...state.stripe.lapsedEpisodes, event.data.graceEndsAt] },
        subscription: state.subscription && { ...state.subscription, status: 'lapsed', graceEndsAt: null },
      };
    case 'SubscriptionCancellationWithdrawn':
      return state.subscription ? { ...state, subscription: { ...state.subscription, cancelAtPeriodEnd: false } } : state;
    case 'MemberStripeFactRecorded':
      return { ...state, stripe: { ...state.stripe, facts: withMemberFact(state.stripe.facts, event.data.fact) } };
    case 'SubscriptionCancellationScheduled':
      return state.subscription ? { ...state, subscription: { ...state.subscription, cancelAtPeriodEnd: true } } : state;
    case 'SubscriptionCancelled':
      return { ...state, subscription: null };
    case 'SubscriptionRenewed':
      return state.subscription
        ? { ...state, subscription: {
          ...state.subscription, ...event.data, periodsRenewed: state.subscription.periodsRenewed + 1, status: 'active', graceEndsAt: null,
        } }
        : state;
    default:
      return assertNever(event);
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
