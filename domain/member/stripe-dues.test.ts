import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shuffled } from '../tenant/billing-fixtures';
import {
  decideMember, duesView, evolveMember, initialMemberState, type MemberEvent, type MemberState, type MemberStripeFact,
} from './index';

const memberId = '0190a000-0000-7000-8000-000000000001';
const gold = '0190a000-0000-7000-8000-0000000000a1';
const platinum = '0190a000-0000-7000-8000-0000000000a2';
const registered: MemberEvent = {
  type: 'MemberRegistered',
  data: { memberId, email: 'a@example.org', firstName: 'A', lastName: 'B', membershipTypeId: null, status: 'active' },
};
/** Day n after 2026-02-01 (day 1), as an instant. */
const t = (day: number) => new Date(Date.UTC(2026, 1, day, 10)).toISOString();
const order = (created: number, eventId: string) => ({ created, eventId });
const subscription = (overrides: Partial<Extract<MemberStripeFact, { kind: 'subscription' }>>, created: number, eventId: string): MemberStripeFact => ({
  kind: 'subscription', subscriptionId: 'sub_1', status: 'active', membershipTypeId: gold, interval: 'month', monthlyPriceCents: 1500,
  currency: 'EUR', periodStart: t(1), periodEnd: t(29), cancelAtPeriodEnd: false, graceEndsAt: t(15), pendingChange: null, order: order(created, eventId), ...overrides,
});
const invoice = (invoiceId: string, outcome: 'paid' | 'failed', period: [string, string], created: number, eventId: string, grace: string | null = null): MemberStripeFact => ({
  kind: 'invoice', invoiceId, subscriptionId: 'sub_1', outcome, periodStart: period[0], periodEnd: period[1], graceEndsAt: grace, order: order(created, eventId),
});

/** Decides each fact on the state its predecessors left, as the webhook edge does. */
function record(facts: MemberStripeFact[]) {
  let history: MemberEvent[] = [registered];
  for (const fact of facts) {
    const state = history.reduce(evolveMember, initialMemberState);
    const decided = decideMember({ type: 'RecordMemberStripeFact', fact }, state);
    history = [...history, ...decided];
  }
  return { history, state: history.reduce(evolveMember, initialMemberState) as Extract<MemberState, { kind: 'registered' }> };
}

/** What the subscription events made of the member's subscription, beside what the facts say. */
const asEventsSay = (state: Extract<MemberState, { kind: 'registered' }>) => state.subscription && {
  membershipTypeId: state.subscription.membershipTypeId, monthlyAmountCents: state.subscription.monthlyAmountCents,
  periodEnd: state.subscription.periodEnd, status: state.subscription.status, cancelAtPeriodEnd: state.subscription.cancelAtPeriodEnd,
  graceEndsAt: state.subscription.graceEndsAt, pendingChange: state.subscription.pendingChange?.membershipTypeId ?? null,
};
const asFactsSay = (state: Extract<MemberState, { kind: 'registered' }>) => {
  const view = duesView(state.stripe.facts, state.stripe.lapsedEpisodes);
  return view && { membershipTypeId: view.terms.membershipTypeId, monthlyAmountCents: view.terms.monthlyAmountCents,
    periodEnd: view.terms.periodEnd, status: view.status, cancelAtPeriodEnd: view.cancelAtPeriodEnd,
    graceEndsAt: view.graceEndsAt, pendingChange: view.pendingChange?.membershipTypeId ?? null };
};

// A member's dues: started, the second month's payment fails and is retried until paid, an
// upgrade, the third month fails again, then a cancellation at period end is asked.
const life: MemberStripeFact[] = [
  subscription({}, 100, 'evt_01'),
  invoice('in_1', 'paid', [t(1), t(29)], 100, 'evt_02'),
  invoice('in_2', 'failed', [t(29), t(29 + 28)], 200, 'evt_03', t(29 + 14)),
  subscription({ status: 'past_due', periodStart: t(29), periodEnd: t(57), graceEndsAt: t(29 + 14) }, 200, 'evt_04'),
  invoice('in_2', 'failed', [t(29), t(57)], 250, 'evt_05', t(29 + 20)),
  invoice('in_2', 'paid', [t(29), t(57)], 300, 'evt_06'),
  subscription({ status: 'active', periodStart: t(29), periodEnd: t(57) }, 300, 'evt_07'),
  subscription({ status: 'active', membershipTypeId: platinum, monthlyPriceCents: 2500, periodStart: t(29), periodEnd: t(57) }, 400, 'evt_08'),
  invoice('in_3', 'failed', [t(57), t(85)], 500, 'evt_09', t(57 + 14)),
  subscription({ status: 'past_due', membershipTypeId: platinum, monthlyPriceCents: 2500, periodStart: t(57), periodEnd: t(85), cancelAtPeriodEnd: true,
    graceEndsAt: t(57 + 14) }, 600, 'evt_10'),
];

const pending = { membershipTypeId: gold, interval: 'month' as const, monthlyPriceCents: 1500, currency: 'EUR', from: t(29) };
// A downgrade scheduled, then taken back while the payment fails and a cancellation is asked.
const takenBack: MemberStripeFact[] = [
  subscription({ membershipTypeId: platinum, monthlyPriceCents: 2500 }, 100, 'evt_01'),
  subscription({ membershipTypeId: platinum, monthlyPriceCents: 2500, pendingChange: pending }, 110, 'evt_02'),
  invoice('in_9', 'failed', [t(1), t(29)], 120, 'evt_03', t(20)),
  subscription({ status: 'past_due', membershipTypeId: platinum, monthlyPriceCents: 2500, cancelAtPeriodEnd: true, graceEndsAt: t(20) }, 130, 'evt_04'),
];

test('in order: started, past due with the grace of the first failure, paid, upgraded, past due again, cancelling', () => {
  const { history, state } = record(life);
  const said = history.filter((e) => e.type !== 'MemberStripeFactRecorded').map((e) => e.type);
  // The second period starts unpaid (Stripe moves the period, then retries the invoice).
  assert.equal(said, ['MemberRegistered', 'SubscriptionStarted', 'SubscriptionPastDue', 'SubscriptionRenewed', 'SubscriptionPastDue',
    'SubscriptionRenewed', 'SubscriptionPlanChanged', 'SubscriptionPastDue', 'SubscriptionRenewed', 'SubscriptionPastDue', 'SubscriptionCancellationScheduled']);
  const pastDue = history.find((e) => e.type === 'SubscriptionPastDue')!;
  assert.equal(pastDue.data, { graceEndsAt: t(29 + 14) }, 'a retry that fails again does not extend the grace');
  assert.equal(asFactsSay(state), { membershipTypeId: platinum, monthlyAmountCents: 2500, periodEnd: t(85), status: 'past_due',
    cancelAtPeriodEnd: true, graceEndsAt: t(57 + 14), pendingChange: null });
  assert.equal(asEventsSay(state), asFactsSay(state));
});

for (const [name, facts] of [['the life', life], ['a downgrade taken back', takenBack]] as const) {
  test(`${name}: any arrival order and any duplicates end in the same subscription, and the events say the same as the facts`, () => {
    const expected = asFactsSay(record([...facts]).state);
    for (let seed = 1; seed <= 300; seed++) {
      const deliveries = shuffled([...facts, ...shuffled([...facts], seed + 1000).slice(0, 3)], seed);
      const { state } = record(deliveries);
      assert.equal(asFactsSay(state), expected, `seed ${seed}`);
      assert.equal(asEventsSay(state), expected, `seed ${seed}: the subscription events`);
    }
  });
}

test('a downgrade taken back leaves the member past due and cancelling, as Stripe says', () => {
  assert.equal(asEventsSay(record(takenBack).state), { membershipTypeId: platinum, monthlyAmountCents: 2500, periodEnd: t(29),
    status: 'past_due', cancelAtPeriodEnd: true, graceEndsAt: t(20), pendingChange: null });
});

test('a subscription paid for never returns to awaiting payment; a failure Stripe later forgives ends the dunning', () => {
  const incomplete = subscription({ status: 'incomplete' }, 100, 'evt_z');
  assert.equal(asFactsSay(record([subscription({}, 100, 'evt_a'), incomplete]).state)?.status, 'active');
  const voided = [life[0]!, invoice('in_7', 'failed', [t(29), t(57)], 200, 'evt_f', t(43)), subscription({ periodStart: t(29), periodEnd: t(57) }, 300, 'evt_g')];
  assert.equal(asEventsSay(record(voided).state)?.status, 'active');
  assert.equal(asEventsSay(record([voided[0]!, voided[2]!, voided[1]!]).state)?.status, 'active', 'in any order');
});

test('a deletion ends it whatever arrives after; a duplicate records nothing', () => {
  const deleted = subscription({ status: 'canceled' }, 150, 'evt_del');
  const { history, state } = record([life[0]!, deleted, life[1]!, life[0]!]);
  assert.equal(asFactsSay(state)?.status, 'cancelled');
  assert.is(state.subscription, null);
  assert.equal(history.at(-1)?.type, 'MemberStripeFactRecorded', 'the late invoice is kept, but changes nothing');
  assert.equal(decideMember({ type: 'RecordMemberStripeFact', fact: life[0]! }, state), []);
});

test('past due beyond the grace lapses (scheduler); paid again, it is reinstated', () => {
  const { history, state } = record(life.slice(0, 3));
  assert.equal(decideMember({ type: 'LapseMemberSubscription', now: t(29 + 13) }, state), [], 'not before the grace ends');
  const lapse = decideMember({ type: 'LapseMemberSubscription', now: t(29 + 14) }, state);
  assert.equal(lapse, [{ type: 'SubscriptionLapsed', data: { graceEndsAt: t(29 + 14) } }]);
  const lapsed = [...history, ...lapse].reduce(evolveMember, initialMemberState) as Extract<MemberState, { kind: 'registered' }>;
  assert.equal(decideMember({ type: 'LapseMemberSubscription', now: t(60) }, lapsed), [], 'an episode lapses once');
  const paid = decideMember({ type: 'RecordMemberStripeFact', fact: life[5]! }, lapsed);
  assert.equal(paid.map((e) => e.type), ['MemberStripeFactRecorded', 'SubscriptionReinstated']);
});

test('a manual renewal never touches a Stripe-billed subscription', () => {
  const { state } = record([life[0]!]);
  assert.equal(decideMember({ type: 'RenewSubscription', now: t(40) }, state), []);
});

test.run();
