import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deciderSpec } from '../shared/decider-spec';
import { billingLife, invoiceFact, shuffled, subscriptionFact } from './billing-fixtures';
import type { BillingFact } from './billing-facts';
import { decideTenant, evolveTenant, hasSubscriptionInForce, initialTenantState, tenantBilling, type TenantEvent, type TenantState } from './index';

const tenantId = '0190a000-0000-7000-8000-0000000000f1';
const created: TenantEvent = { type: 'TenantCreated', data: { tenantId, name: 'Chess Club', subdomain: 'chess', plan: 'free' } };
const spec = deciderSpec({ decide: decideTenant, evolve: evolveTenant, initialState: initialTenantState });
const start = 1_790_000_000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function deliver(facts: BillingFact[], state: TenantState = evolveTenant(initialTenantState, created)) {
  for (const fact of facts) {
    for (const event of decideTenant({ type: 'RecordBillingFact', fact }, state)) state = evolveTenant(state, event);
  }
  return state;
}
const view = (state: TenantState) => (state.kind === 'created' ? tenantBilling(state) : undefined);

test('a checkout activates the paid plan; a tenant provisioned on a paid plan without Stripe is active', () => {
  const state = deliver([subscriptionFact(start, 'evt_1'), invoiceFact(start, 'evt_2')]);
  assert.equal(view(state), { status: 'active', plan: 'pro', interval: 'month', currentPeriodEnd: iso(start + 30 * 86400),
    cancelAtPeriodEnd: false, graceEndsAt: null });
  const provisioned = evolveTenant(initialTenantState, { ...created, data: { ...created.data, plan: 'enterprise' } } as TenantEvent);
  assert.is(view(provisioned)!.status, 'active');
  assert.is(view(provisioned)!.currentPeriodEnd, null);
});

test('the first fact of a subscription activates it and changes the plan; a duplicate changes nothing', () => {
  const fact = subscriptionFact(start, 'evt_1');
  const events = decideTenant({ type: 'RecordBillingFact', fact }, evolveTenant(initialTenantState, created));
  assert.equal(events.map((e) => e.type), ['TenantSubscriptionActivated', 'TenantPlanChanged']);
  spec.given([created, ...events]).when({ type: 'RecordBillingFact', fact }).then([]);
  spec.given([created, ...events]).when({ type: 'RecordBillingFact', fact: subscriptionFact(start - 10, 'evt_0', { plan: 'enterprise' }) }).then([]);
});

test('a failed payment is past due with the grace of its first failure; the scheduler suspends only once the grace has passed', () => {
  const facts = billingLife(start).slice(0, 5);
  const state = deliver(facts);
  const graceEndsAt = iso(start + 30 * 86400 + 7 * 86400);
  assert.equal(view(state)!.status, 'past_due');
  assert.is(view(state)!.graceEndsAt, graceEndsAt, 'a retried failure of the same invoice does not extend the grace');
  assert.equal(decideTenant({ type: 'SuspendUnpaidTenant', now: iso(start + 36 * 86400) }, state), []);
  const suspension = decideTenant({ type: 'SuspendUnpaidTenant', now: graceEndsAt }, state);
  assert.equal(suspension.map((e) => e.type), ['TenantSuspended']);
  const suspended = suspension.reduce(evolveTenant, state);
  assert.is(view(suspended)!.status, 'suspended');
  assert.equal(decideTenant({ type: 'SuspendUnpaidTenant', now: iso(start + 60 * 86400) }, suspended), []);
  const paid = decideTenant({ type: 'RecordBillingFact', fact: billingLife(start)[5]! }, suspended);
  assert.equal(paid.map((e) => e.type), ['TenantInvoicePaid', 'TenantRestored']);
  assert.is(view(paid.reduce(evolveTenant, suspended))!.status, 'active');
});

test('an unpaid subscription suspends at once; a deleted one returns the tenant to free, and no older event revives it', () => {
  const unpaid = decideTenant({ type: 'RecordBillingFact', fact: subscriptionFact(start + 10, 'evt_2', { status: 'unpaid' }) },
    deliver([subscriptionFact(start, 'evt_1')]));
  assert.equal(unpaid.map((e) => e.type), ['TenantSubscriptionChanged', 'TenantSuspended']);
  const deleted = subscriptionFact(start + 20, 'evt_3', { status: 'canceled' });
  const state = deliver([subscriptionFact(start, 'evt_1'), deleted, subscriptionFact(start + 10, 'evt_2', { plan: 'enterprise' })]);
  assert.equal(view(state), { status: 'canceled', plan: 'free', interval: null, currentPeriodEnd: null, cancelAtPeriodEnd: false, graceEndsAt: null });
  assert.equal(view(deliver([deleted, subscriptionFact(start + 30, 'evt_4')]))!.status, 'canceled', 'not even a newer one');
  const renewed = deliver([subscriptionFact(start, 'evt_1'), deleted, subscriptionFact(start + 40, 'evt_5', { subscriptionId: 'sub_2' })]);
  assert.is(view(renewed)!.status, 'active', 'a new subscription after the deletion is a new life');
});

test('arrival order does not matter: 2,000 orderings (with duplicates) of a billing life end in the in-order state', () => {
  const life = billingLife(start);
  const lives = [
    life,
    [...life, subscriptionFact(start + 70 * 86400, 'evt_f1', { status: 'canceled', plan: 'enterprise' })],
    [...life.slice(0, 4), subscriptionFact(start + 31 * 86400, 'evt_u', { status: 'unpaid' })],
  ];
  for (const [index, facts] of lives.entries()) {
    const expected = deliver(facts);
    for (let seed = 1; seed <= 2000 / lives.length; seed++) {
      const withDuplicates = [...facts, ...facts.filter((_, i) => (i * seed) % 3 === 0)];
      const state = deliver(shuffled(withDuplicates, seed * 31 + index));
      assert.equal(view(state), view(expected), `life ${index}, seed ${seed}`);
      assert.equal(state, expected, `life ${index}, seed ${seed}: the same folded state`);
    }
  }
});

test('a checkout links the Stripe customer once; an older link does not replace a newer one', () => {
  const link = { type: 'LinkBillingAccount', customerId: 'cus_1', checkoutSessionId: 'cs_1', order: { created: start, eventId: 'evt_1' } } as const;
  const events = decideTenant(link, evolveTenant(initialTenantState, created));
  assert.equal(events.map((e) => e.type), ['TenantBillingAccountLinked']);
  spec.given([created, ...events]).when(link).then([]);
  spec.given([created, ...events]).when({ ...link, customerId: 'cus_0', order: { created: start - 1, eventId: 'evt_0' } }).then([]);
});

test('a checkout is refused while a subscription is in force or on its way from a completed checkout', () => {
  const linked = evolveTenant(evolveTenant(initialTenantState, created), { type: 'TenantBillingAccountLinked', data: {
    customerId: 'cus_1', checkoutSessionId: 'cs_1', order: { created: start, eventId: 'evt_1' }, billing: view(evolveTenant(initialTenantState, created))! } });
  const inForce = (state: TenantState, now: number) => state.kind === 'created' && hasSubscriptionInForce(state.billing, iso(now));
  assert.is(inForce(evolveTenant(initialTenantState, created), start), false);
  assert.is(inForce(linked, start + 60), true, 'its subscription is on its way');
  assert.is(inForce(linked, start + 2 * 86400), false, 'a checkout whose subscription never came does not block forever');
  const active = deliver([subscriptionFact(start + 1, 'evt_2')], linked);
  assert.is(inForce(active, start + 2 * 86400), true);
  const canceled = deliver([subscriptionFact(start + 100, 'evt_3', { status: 'canceled' })], active);
  assert.is(inForce(canceled, start + 200), false, 'a tenant whose subscription ended may check out again');
});

test.run();
