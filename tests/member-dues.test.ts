import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type Stripe from 'stripe';
import { evolveMember, initialMemberState, type MemberState } from '../domain/member';
import { shuffled } from '../domain/tenant/billing-fixtures';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { startBillingHarness, subscriptionOf, type BillingHarness } from './billing-harness';

const test = suite<{ h: BillingHarness }>('Membership dues on the tenant’s connected account: checkout, lifecycle, order, refusals');
test.before(async (context) => {
  context.h = await startBillingHarness();
});
test.after(async ({ h }) => h.close());

const urls = { successUrl: 'https://example.org/paid', cancelUrl: 'https://example.org/not' };
const deliverAll = async (h: BillingHarness, events: Stripe.Event[]) => {
  for (const event of events) assert.is((await h.deliver(event)).status, 200, event.type);
};

/** A tenant whose connected account can take payments, with a membership type of 15.00 EUR a month. */
async function duesTenant(h: BillingHarness) {
  const { tenantId, owner } = await h.createTenant('Rowing Club', 'enterprise');
  const connect = await h.command('POST', '/v1/payments/connect', owner, { returnUrl: urls.successUrl, refreshUrl: urls.cancelUrl });
  assert.is(connect.status, 201, connect.text);
  const type = await h.command('POST', '/v1/membership-types', owner, { name: 'Rower', monthlyPriceCents: 1500, currency: 'EUR', features: [] });
  assert.is(type.status, 201, type.text);
  return { tenantId, owner, accountId: connect.body.accountId as string, membershipTypeId: type.body.membershipTypeId as string };
}

async function member(h: BillingHarness, owner: string, n: number) {
  const reply = await h.command('POST', '/v1/members', owner, { email: `rower${n}-${Date.now()}@example.org`, firstName: 'R', lastName: `${n}` });
  assert.is(reply.status, 201, reply.text);
  return reply.body.memberId as string;
}

async function memberState(h: BillingHarness, tenantId: string, memberId: string) {
  const history = await h.platform.eventStore.readStream(tenantStreamId('member', tenantId, memberId));
  return history.reduce<MemberState>((s, e) => evolveMember(s, e as never), initialMemberState) as Extract<MemberState, { kind: 'registered' }>;
}
const checkout = (h: BillingHarness, owner: string, memberId: string, membershipTypeId: string, interval: 'month' | 'year' = 'month') =>
  h.command('POST', `/v1/members/${memberId}/subscription/checkout`, owner, { membershipTypeId, interval, ...urls });

test('a member pays dues: checkout, started, past due, lapsed after the grace, reinstated when paid, cancelled', async ({ h }) => {
  const { tenantId, owner, accountId, membershipTypeId } = await duesTenant(h);
  const alice = await member(h, owner, 1);
  const refused = await checkout(h, owner, alice, membershipTypeId);
  assert.is(refused.status, 409);
  assert.is(refused.body.code, 'payments-not-enabled');
  await deliverAll(h, await h.standIn.completeOnboarding(accountId));

  const started = await checkout(h, owner, alice, membershipTypeId);
  assert.is(started.status, 201, started.text);
  assert.match(started.body.checkoutSessionId, /^cs_/);
  await deliverAll(h, await h.standIn.completeCheckout(started.body.checkoutSessionId));
  let state = await memberState(h, tenantId, alice);
  assert.equal({ ...state.subscription, periodStart: undefined, periodEnd: undefined, anchor: undefined }, {
    billing: 'stripe', membershipTypeId, interval: 'month', amountCents: 1500, monthlyAmountCents: 1500, currency: 'EUR',
    cancelAtPeriodEnd: false, periodsRenewed: 0, status: 'active', graceEndsAt: null, pendingChange: null,
    periodStart: undefined, periodEnd: undefined, anchor: undefined,
  });
  const again = await checkout(h, owner, alice, membershipTypeId);
  assert.is(again.status, 409);
  assert.is(again.body.code, 'subscription-exists');

  const subscription = (await h.standIn.events.filter((e) => e.type === 'customer.subscription.created').at(-1)!.data.object as Stripe.Subscription).id;
  h.clock.now += 60;
  await deliverAll(h, await h.standIn.failPayment(subscription));
  state = await memberState(h, tenantId, alice);
  assert.is(state.subscription?.status, 'past_due');
  const graceEndsAt = state.subscription!.graceEndsAt!;
  assert.is(Date.parse(graceEndsAt) / 1000, h.clock.now + 1_209_600, 'the member grace period runs from the failure');

  await h.platform.scheduler.runOnce(new Date(Date.parse(graceEndsAt) - 1000));
  assert.is((await memberState(h, tenantId, alice)).subscription?.status, 'past_due', 'not before the grace ends');
  await waitForReadModel(h, owner, alice, 'past_due');
  await h.platform.scheduler.runOnce(new Date(graceEndsAt));
  state = await memberState(h, tenantId, alice);
  assert.is(state.subscription?.status, 'lapsed');
  assert.is(state.status, 'active', 'the member keeps their status');

  h.clock.now += 60;
  await deliverAll(h, await h.standIn.payInvoice(subscription));
  state = await memberState(h, tenantId, alice);
  assert.is(state.subscription?.status, 'active');
  const types = (await h.platform.eventStore.readStream(tenantStreamId('member', tenantId, alice))).map((e) => e.type)
    .filter((type) => type !== 'MemberStripeFactRecorded');
  assert.ok(types.includes('SubscriptionLapsed') && types.includes('SubscriptionReinstated'), types.join(' '));

  h.clock.now += 60;
  await deliverAll(h, await h.standIn.cancel(subscription, { atPeriodEnd: false }));
  state = await memberState(h, tenantId, alice);
  assert.is(state.subscription, null);
  assert.is(types.filter((type) => type === 'SubscriptionStarted').length, 1);
});

/** The read model the scheduler reads its due work from has caught up with the member. */
async function waitForReadModel(h: BillingHarness, owner: string, memberId: string, status: string) {
  for (let i = 0; i < 100; i++) {
    const reply = await h.query(`/v1/members/${memberId}`, owner);
    if (reply.body?.subscription?.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the member view never showed ${status}`);
}

test('changing Stripe-billed dues changes them in Stripe: an upgrade at once, a downgrade from the period’s end, a cancellation', async ({ h }) => {
  const { tenantId, owner, accountId, membershipTypeId } = await duesTenant(h);
  await deliverAll(h, await h.standIn.completeOnboarding(accountId));
  const cox = await h.command('POST', '/v1/membership-types', owner, { name: 'Cox', monthlyPriceCents: 2500, currency: 'EUR', features: [] });
  const junior = await h.command('POST', '/v1/membership-types', owner, { name: 'Junior', monthlyPriceCents: 500, currency: 'EUR', features: [] });
  const bob = await member(h, owner, 7);
  const session = await checkout(h, owner, bob, membershipTypeId);
  delivered.set(h, h.standIn.events.length);
  let completed: Stripe.Event[] = [];
  await deliverEvents(h, async () => (completed = await h.standIn.completeCheckout(session.body.checkoutSessionId)));
  const subscription = subscriptionOf(completed);
  const change = (type: string) => h.command('POST', `/v1/members/${bob}/subscription`, owner, { membershipTypeId: type, interval: 'month' });

  h.clock.now += 60;
  const upgraded = await change(cox.body.membershipTypeId);
  assert.is(upgraded.status, 202, upgraded.text);
  await deliverEvents(h);
  let state = await memberState(h, tenantId, bob);
  assert.equal([state.subscription?.membershipTypeId, state.subscription?.monthlyAmountCents, state.subscription?.pendingChange],
    [cox.body.membershipTypeId, 2500, null], 'the upgrade is in force at once');

  h.clock.now += 60;
  assert.is((await change(junior.body.membershipTypeId)).status, 202);
  await deliverEvents(h);
  state = await memberState(h, tenantId, bob);
  assert.is(state.subscription?.membershipTypeId, cox.body.membershipTypeId, 'the downgrade waits for the period’s end');
  assert.equal([state.subscription?.pendingChange?.membershipTypeId, state.subscription?.pendingChange?.periodStart],
    [junior.body.membershipTypeId, state.subscription?.periodEnd]);

  // Taken back before the period ends: the price in force again, no proration, nothing pending.
  h.clock.now += 60;
  assert.is((await change(cox.body.membershipTypeId)).status, 202);
  await deliverEvents(h);
  state = await memberState(h, tenantId, bob);
  assert.equal([state.subscription?.membershipTypeId, state.subscription?.pendingChange], [cox.body.membershipTypeId, null]);
  const { rows: [inStripe] } = await h.platform.writePool.query(
    `SELECT price_id FROM stripe_connected_prices WHERE membership_type_id = $1`, [cox.body.membershipTypeId]);
  const stripeNow = (h.standIn.events.filter((e) => e.type === 'customer.subscription.updated').at(-1)!.data.object as Stripe.Subscription);
  assert.is(stripeNow.items.data[0]!.price.id, inStripe.price_id, 'Stripe bills the price in force again');
  h.clock.now += 60;
  assert.is((await change(junior.body.membershipTypeId)).status, 202);
  await deliverEvents(h);
  state = await memberState(h, tenantId, bob);
  const stale = await h.command('POST', `/v1/members/${bob}/subscription`, owner, { membershipTypeId: cox.body.membershipTypeId, interval: 'month' }, { 'if-match': '"1"' });
  assert.is(stale.status, 412, 'If-Match holds for Stripe-billed changes too');

  h.clock.now = Date.parse(state.subscription!.periodEnd) / 1000 + 60;
  await deliverEvents(h, () => h.standIn.failPayment(subscription));
  await deliverEvents(h, () => h.standIn.payInvoice(subscription));
  state = await memberState(h, tenantId, bob);
  assert.equal([state.subscription?.membershipTypeId, state.subscription?.monthlyAmountCents, state.subscription?.pendingChange],
    [junior.body.membershipTypeId, 500, null], 'from the next period the downgrade is in force');

  h.clock.now += 60;
  assert.is((await h.command('POST', `/v1/members/${bob}/subscription/cancel`, owner, { atPeriodEnd: true })).status, 202);
  await deliverEvents(h);
  assert.is((await memberState(h, tenantId, bob)).subscription?.cancelAtPeriodEnd, true);
  h.clock.now += 60;
  assert.is((await h.command('POST', `/v1/members/${bob}/subscription/cancel`, owner, { atPeriodEnd: false })).status, 202);
  await deliverEvents(h);
  assert.is((await memberState(h, tenantId, bob)).subscription, null);
  const again = await h.command('POST', `/v1/members/${bob}/subscription/cancel`, owner, { atPeriodEnd: false });
  assert.is(again.status, 409);
});

test('deactivating a member cancels their Stripe-billed dues in Stripe; a lapsed member cannot buy a second subscription', async ({ h }) => {
  const { tenantId, owner, accountId, membershipTypeId } = await duesTenant(h);
  await deliverAll(h, await h.standIn.completeOnboarding(accountId));
  const carol = await member(h, owner, 8);
  delivered.set(h, h.standIn.events.length);
  let completed: Stripe.Event[] = [];
  await deliverEvents(h, async () => (completed = await h.standIn.completeCheckout((await checkout(h, owner, carol, membershipTypeId)).body.checkoutSessionId)));
  h.clock.now += 60;
  await deliverEvents(h, () => h.standIn.failPayment(subscriptionOf(completed)));
  const lapsedAt = (await memberState(h, tenantId, carol)).subscription!.graceEndsAt!;
  await waitForReadModel(h, owner, carol, 'past_due');
  await h.platform.scheduler.runOnce(new Date(lapsedAt));
  assert.is((await memberState(h, tenantId, carol)).subscription?.status, 'lapsed');
  const second = await checkout(h, owner, carol, membershipTypeId);
  assert.is(second.status, 409);
  assert.is(second.body.code, 'subscription-exists');

  h.clock.now += 60;
  const deactivated = await h.command('POST', `/v1/members/${carol}/deactivate`, owner, { reason: 'moved away' });
  assert.is(deactivated.status, 200, deactivated.text);
  const events = await deliverEvents(h);
  assert.ok(events.some((e) => e.type === 'customer.subscription.deleted'), 'Stripe was asked to cancel');
  const state = await memberState(h, tenantId, carol);
  assert.equal([state.status, state.subscription], ['inactive', null]);
});

/** Delivers what the stand-in sent since the last call (API calls queue their events there), after `step`. */
async function deliverEvents(h: BillingHarness, step?: () => Promise<Stripe.Event[]>) {
  const seen = delivered.get(h) ?? 0;
  if (step) await step();
  await h.standIn.drain();
  const fresh = h.standIn.events.slice(seen);
  delivered.set(h, h.standIn.events.length);
  await deliverAll(h, fresh);
  return fresh;
}
const delivered = new WeakMap<BillingHarness, number>();

test('the price on the connected account is created once and reused while the membership type costs the same', async ({ h }) => {
  const { owner, accountId, membershipTypeId } = await duesTenant(h);
  await deliverAll(h, await h.standIn.completeOnboarding(accountId));
  for (const n of [1, 2, 3]) assert.is((await checkout(h, owner, await member(h, owner, n), membershipTypeId)).status, 201);
  assert.is((await checkout(h, owner, await member(h, owner, 4), membershipTypeId, 'year')).status, 201);
  const { rows } = await h.platform.writePool.query(
    'SELECT billing_interval, unit_amount_cents FROM stripe_connected_prices WHERE account_id = $1 ORDER BY billing_interval', [accountId]);
  assert.equal(rows.map((r) => [r.billing_interval, Number(r.unit_amount_cents)]), [['month', 1500], ['year', 18000]]);
});

test('a member has one checkout open at a time: asked again, the same link; for other terms, 409', async ({ h }) => {
  const { owner, accountId, membershipTypeId } = await duesTenant(h);
  await deliverAll(h, await h.standIn.completeOnboarding(accountId));
  const dave = await member(h, owner, 9);
  const first = await checkout(h, owner, dave, membershipTypeId);
  const again = await checkout(h, owner, dave, membershipTypeId);
  assert.equal([again.status, again.body], [201, first.body]);
  const other = await checkout(h, owner, dave, membershipTypeId, 'year');
  assert.equal([other.status, other.body.code], [409, 'checkout-open']);
});

test('whatever order a member’s dues events arrive in, twice or once, the subscription ends the same', async ({ h }) => {
  const { tenantId, owner, accountId, membershipTypeId } = await duesTenant(h);
  await deliverAll(h, await h.standIn.completeOnboarding(accountId));
  const lives: { memberId: string; events: Stripe.Event[] }[] = [];
  const start = h.clock.now;
  for (let n = 0; n < 40; n++) {
    const memberId = await member(h, owner, n);
    h.clock.now = start + n * 10_000;
    const session = await checkout(h, owner, memberId, membershipTypeId);
    const events = await h.standIn.completeCheckout(session.body.checkoutSessionId);
    const subscription = subscriptionOf(events);
    for (const [offset, step] of [[30, () => h.standIn.failPayment(subscription)], [31, () => h.standIn.payInvoice(subscription)],
      [33, () => h.standIn.failPayment(subscription)], [40, () => h.standIn.cancel(subscription, { atPeriodEnd: true })]] as const) {
      h.clock.now = start + n * 10_000 + offset;
      events.push(...await step());
    }
    lives.push({ memberId, events });
  }
  const shape = (state: Awaited<ReturnType<typeof memberState>>, offset: number) => state.subscription && {
    status: state.subscription.status, cancelAtPeriodEnd: state.subscription.cancelAtPeriodEnd, amount: state.subscription.monthlyAmountCents,
    graceEndsAt: state.subscription.graceEndsAt && Date.parse(state.subscription.graceEndsAt) / 1000 - offset,
    periodEnd: Date.parse(state.subscription.periodEnd) / 1000 - offset,
  };
  await deliverAll(h, lives[0]!.events);
  const expected = shape(await memberState(h, tenantId, lives[0]!.memberId), start);
  assert.equal(expected?.status, 'past_due');
  assert.is(expected?.cancelAtPeriodEnd, true);
  for (let n = 1; n < lives.length; n++) {
    const { memberId, events } = lives[n]!;
    await deliverAll(h, shuffled([...events, ...shuffled(events, n + 99).slice(0, 2)], n));
    assert.equal(shape(await memberState(h, tenantId, memberId), start + n * 10_000), expected, `ordering ${n}`);
  }
});

test('Connect events naming another tenant’s member, or a tenant other than the account’s, change nothing', async ({ h }) => {
  const mine = await duesTenant(h);
  const theirs = await duesTenant(h);
  await deliverAll(h, await h.standIn.completeOnboarding(mine.accountId));
  const stranger = await member(h, theirs.owner, 1);
  const ownMember = await member(h, mine.owner, 2);
  const session = await checkout(h, mine.owner, ownMember, mine.membershipTypeId);
  const events = await h.standIn.completeCheckout(session.body.checkoutSessionId);
  // Plain records: spreading Stripe.Event, a union of every event type, is more than tsc can bear.
  const rewrite = (event: Stripe.Event, metadata: Record<string, string>): object => {
    const plain = event as unknown as { id: string; data: { object: { metadata?: Record<string, string> } } };
    const object = plain.data.object;
    return { ...plain, id: `${plain.id}_x${Object.keys(metadata).join('')}`, data: { object: { ...object, metadata: { ...object.metadata, ...metadata } } } };
  };
  const completed = events.find((e) => e.type === 'checkout.session.completed')!;
  const before = await h.platform.eventStore.readStream(tenantStreamId('member', theirs.tenantId, stranger));
  assert.is((await h.deliver(rewrite(completed, { memberId: stranger }))).status, 200);
  assert.is((await h.deliver(rewrite(completed, { tenantId: theirs.tenantId }))).status, 200);
  assert.is((await h.deliver(rewrite(completed, { membershipTypeId: theirs.membershipTypeId }))).status, 200);
  assert.equal(await h.platform.eventStore.readStream(tenantStreamId('member', theirs.tenantId, stranger)), before);
  assert.is((await memberState(h, mine.tenantId, ownMember)).subscription, null, 'none of them started the own member’s dues either');
  const metrics = (await h.platform.commandApi.inject({ method: 'GET', url: '/metrics' })).body;
  for (const outcome of ['unknown-member', 'unknown-tenant', 'unknown-membership-type']) {
    assert.match(metrics, new RegExp(`stripe_webhook_deliveries_total\\{type="checkout.session.completed",outcome="${outcome}"\\} 1\\b`), outcome);
  }
});

test.run();
