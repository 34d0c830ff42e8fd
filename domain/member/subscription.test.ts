import { test } from 'uvu';
import { deciderSpec } from '../shared/decider-spec';
import { decideMember, evolveMember, initialMemberState, type MemberEvent, type SubscriptionTerms } from './index';

const spec = deciderSpec({ decide: decideMember, evolve: evolveMember, initialState: initialMemberState });
const memberId = '0190a000-0000-7000-8000-000000000001';
const gold = { membershipTypeId: '0190a000-0000-7000-8000-0000000000a1', monthlyPriceCents: 1500, currency: 'EUR' };
const silver = { membershipTypeId: '0190a000-0000-7000-8000-0000000000a2', monthlyPriceCents: 900, currency: 'EUR' };
const registered: MemberEvent = {
  type: 'MemberRegistered',
  data: { memberId, email: 'a@example.org', firstName: 'A', lastName: 'B', membershipTypeId: null, status: 'active' },
};
const goldMonthly: SubscriptionTerms = {
  billing: 'manual', membershipTypeId: gold.membershipTypeId, interval: 'month', amountCents: 1500, monthlyAmountCents: 1500,
  currency: 'EUR', periodStart: '2026-01-31T10:00:00.000Z', periodEnd: '2026-02-28T10:00:00.000Z',
};
const started: MemberEvent = { type: 'SubscriptionStarted', data: goldMonthly };

test('starting a subscription prices it from the membership type, month end clamped', () => {
  spec.given([registered])
    .when({ type: 'StartOrChangeSubscription', membershipType: gold, interval: 'month', now: '2026-01-31T10:00:00.000Z' })
    .then([started]);
});

test('a yearly subscription charges twelve months and counts one month as MRR', () => {
  spec.given([registered])
    .when({ type: 'StartOrChangeSubscription', membershipType: silver, interval: 'year', now: '2026-03-01T00:00:00.000Z' })
    .then([{ type: 'SubscriptionStarted', data: {
      billing: 'manual', membershipTypeId: silver.membershipTypeId, interval: 'year', amountCents: 10800, monthlyAmountCents: 900,
      currency: 'EUR', periodStart: '2026-03-01T00:00:00.000Z', periodEnd: '2027-03-01T00:00:00.000Z' } }]);
});

test('changing to another plan is a plan change; to the same plan, nothing', () => {
  const now = '2026-02-10T00:00:00.000Z';
  spec.given([registered, started])
    .when({ type: 'StartOrChangeSubscription', membershipType: silver, interval: 'month', now })
    .then([{ type: 'SubscriptionPlanChanged', data: {
      billing: 'manual', membershipTypeId: silver.membershipTypeId, interval: 'month', amountCents: 900, monthlyAmountCents: 900,
      currency: 'EUR', periodStart: now, periodEnd: '2026-03-10T00:00:00.000Z' } }]);
  spec.given([registered, started])
    .when({ type: 'StartOrChangeSubscription', membershipType: gold, interval: 'month', now }).then([]);
});

test('only an active member can subscribe', () => {
  spec.given([registered, { type: 'MemberSuspended', data: { reason: 'x' } }])
    .when({ type: 'StartOrChangeSubscription', membershipType: gold, interval: 'month', now: '2026-01-01T00:00:00.000Z' })
    .thenRefuses('member-not-active');
});

test('cancel now, or schedule it at period end once', () => {
  const now = '2026-02-01T00:00:00.000Z';
  spec.given([registered, started]).when({ type: 'CancelSubscription', atPeriodEnd: false, now })
    .then([{ type: 'SubscriptionCancelled', data: { reason: 'requested' } }]);
  const scheduled: MemberEvent = { type: 'SubscriptionCancellationScheduled', data: { cancelAt: goldMonthly.periodEnd } };
  spec.given([registered, started]).when({ type: 'CancelSubscription', atPeriodEnd: true, now }).then([scheduled]);
  spec.given([registered, started, scheduled]).when({ type: 'CancelSubscription', atPeriodEnd: true, now }).then([]);
  spec.given([registered]).when({ type: 'CancelSubscription', atPeriodEnd: true, now }).thenRefuses('no-active-subscription');
});

test('renewal extends the period when it has ended, ends a scheduled cancellation, and waits otherwise', () => {
  spec.given([registered, started]).when({ type: 'RenewSubscription', now: '2026-02-28T10:00:00.000Z' })
    .then([{ type: 'SubscriptionRenewed', data: { periodStart: '2026-02-28T10:00:00.000Z', periodEnd: '2026-03-31T10:00:00.000Z' } }]);
  spec.given([registered, started]).when({ type: 'RenewSubscription', now: '2026-02-20T00:00:00.000Z' }).then([]);
  spec.given([registered, started, { type: 'SubscriptionCancellationScheduled', data: { cancelAt: goldMonthly.periodEnd } }])
    .when({ type: 'RenewSubscription', now: '2026-03-01T00:00:00.000Z' })
    .then([{ type: 'SubscriptionCancelled', data: { reason: 'period-ended' } }]);
});

test('renewals keep the anchor day: 31 Jan → 28 Feb → 31 Mar → 30 Apr, and a late scheduler catches up every period', () => {
  const renewed = (periodStart: string, periodEnd: string): MemberEvent => ({ type: 'SubscriptionRenewed', data: { periodStart, periodEnd } });
  const toMarch = renewed('2026-02-28T10:00:00.000Z', '2026-03-31T10:00:00.000Z');
  spec.given([registered, started, toMarch]).when({ type: 'RenewSubscription', now: '2026-03-31T10:00:00.000Z' })
    .then([renewed('2026-03-31T10:00:00.000Z', '2026-04-30T10:00:00.000Z')]);
  spec.given([registered, started]).when({ type: 'RenewSubscription', now: '2026-05-01T00:00:00.000Z' })
    .then([toMarch, renewed('2026-03-31T10:00:00.000Z', '2026-04-30T10:00:00.000Z'), renewed('2026-04-30T10:00:00.000Z', '2026-05-31T10:00:00.000Z')]);
});

test('deactivating a subscribed member also ends the subscription', () => {
  spec.given([registered, started]).when({ type: 'DeactivateMember', reason: 'left' }).then([
    { type: 'MemberDeactivated', data: { reason: 'left' } },
    { type: 'SubscriptionCancelled', data: { reason: 'member-deactivated' } },
  ]);
});

test.run();
