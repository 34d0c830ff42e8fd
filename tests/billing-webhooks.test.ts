import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type Stripe from 'stripe';
import { v7 as uuidv7 } from 'uuid';
import { addMonthsUtc } from '../domain/shared/time';
import { shuffled } from '../domain/tenant/billing-fixtures';
import { startBillingHarness, subscriptionOf, type BillingHarness } from './billing-harness';
import { createScheduler } from '../command-api/scheduler/scheduler';
import { createStreamStates } from '../command-api/stream-states';
import type { StripeBilling } from '../infra/stripe/port';
import { tenantStreamId } from '../infra/event-store/stream-name';

const test = suite<{ h: BillingHarness }>('Stripe webhooks: verification, dedup, arrival order, the scheduler');
test.before(async (context) => {
  context.h = await startBillingHarness();
});
test.after(async ({ h }) => h.close());

const eventCount = async (h: BillingHarness) =>
  (await h.platform.writePool.query('SELECT count(*)::int AS n FROM events')).rows[0].n as number;

/**
 * A tenant's Stripe life, at the same offsets from its own start (Stripe's clock only moves
 * forward, so each life starts later): checkout, a failed renewal, its payment, an upgrade, a
 * second failure, and in life 1 a deletion. Some steps share a second, as Stripe's often do.
 */
async function live(h: BillingHarness, owner: string, life: number, start: number): Promise<Stripe.Event[]> {
  h.clock.now = start;
  const events = await h.standIn.completeCheckout(await h.checkout(owner));
  const subscription = subscriptionOf(events);
  for (const [offset, step] of [
    [30, () => h.standIn.failPayment(subscription)],
    [33, () => h.standIn.payInvoice(subscription)],
    [33, () => h.standIn.changePrice(subscription, 'price_enterprise_month')],
    [61, () => h.standIn.failPayment(subscription)],
    ...(life === 1 ? [[62, () => h.standIn.cancel(subscription, { atPeriodEnd: false })] as const] : []),
  ] as const) {
    h.clock.now = start + offset;
    events.push(...await step());
  }
  return events;
}

/** A billing view with its instants as seconds after the life's start, comparable across lives. */
function relative(view: Awaited<ReturnType<BillingHarness['billingOf']>>, start: number) {
  const offset = (instant: string | null | undefined) => (instant ? Date.parse(instant) / 1000 - start : instant);
  return view && { ...view, currentPeriodEnd: offset(view.currentPeriodEnd), graceEndsAt: offset(view.graceEndsAt) };
}

test('arrival order does not matter: 1,000 orderings over many tenants end as the in-order delivery does', async ({ h }) => {
  const perLife = Number(process.env.PER_LIFE ?? 500);
  let start = Math.floor(Date.now() / 1000) - 2 * (perLife + 1) * 100;
  const nextStart = () => (start += 100);
  for (const life of [0, 1]) {
    const reference = await h.createTenant(`Reference ${life}`, 'free');
    const referenceStart = nextStart();
    for (const event of await live(h, reference.owner, life, referenceStart)) assert.is((await h.deliver(event)).status, 200);
    const expected = relative(await h.billingOf(reference.tenantId), referenceStart);
    assert.ok(expected && expected.status === (life === 0 ? 'past_due' : 'canceled') && expected.plan === (life === 0 ? 'enterprise' : 'free'),
      JSON.stringify(expected));
    for (let batch = 0; batch < perLife; batch += 25) {
      // Lives are made one after the other (they move the stand-in's one clock), delivered together.
      const tenants: { tenantId: string; seed: number; events: Stripe.Event[]; lifeStart: number }[] = [];
      for (let i = 0; i < 25; i++) {
        const seed = life * 10_000 + batch + i + 1;
        const { tenantId, owner } = await h.createTenant(`Shuffled ${seed}`, 'free');
        const lifeStart = nextStart();
        tenants.push({ tenantId, seed, lifeStart, events: await live(h, owner, life, lifeStart) });
      }
      const results = await Promise.allSettled(tenants.map(async ({ tenantId, seed, events, lifeStart }) => {
        const withDuplicates = [...events, ...events.filter((_, n) => (n * seed) % 4 === 0)];
        for (const event of shuffled(withDuplicates, seed)) assert.is((await h.deliver(event)).status, 200);
        assert.equal(relative(await h.billingOf(tenantId), lifeStart), expected, `life ${life}, seed ${seed}`);
      }));
      const failure = results.find((r) => r.status === 'rejected');
      if (failure) throw failure.reason;
    }
  }
});

test('refused deliveries change nothing and are counted: no, wrong, expired or mismatched signature; signed non-events', async ({ h }) => {
  const { owner } = await h.createTenant('Attacked Club', 'free');
  const [completed] = await h.standIn.completeCheckout(await h.checkout(owner));
  const body = JSON.stringify(completed);
  const before = await eventCount(h);
  const refusals = [
    await h.deliver(completed!, { signature: '' }),
    await h.deliver(completed!, { signature: `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` }),
    await h.deliver(completed!, { signature: h.standIn.signatureFor(body, Math.floor(Date.now() / 1000) - 301) }),
    await h.deliver(completed!, { body: body.replace('"complete"', '"open"'), signature: h.standIn.signatureFor(body) }),
  ];
  for (const reply of refusals) assert.equal([reply.status, reply.body.code], [400, 'webhook-signature-invalid']);
  const notEvent = await h.deliver({ hello: 'world' });
  assert.equal([notEvent.status, notEvent.body], [200, { received: true }], 'verified, so answered 200, and nothing applied');
  const malformed = await h.deliver({ ...completed, type: 'customer.subscription.updated', data: { object: { id: 'sub_x' } } });
  assert.equal(malformed.status, 200);
  const huge = await h.deliver({ ...completed, id: `evt_${'x'.repeat(300)}` });
  assert.equal(huge.status, 200, 'ids beyond what Stripe sends: not applied');
  assert.is(await eventCount(h), before, 'nothing appended');
  const { rows } = await h.platform.writePool.query('SELECT count(*)::int AS n FROM stripe_webhook_deliveries WHERE event_id = $1', [completed!.id]);
  assert.is(rows[0].n, 0, 'nothing recorded');
  const metrics = await h.platform.commandApi.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /stripe_webhook_deliveries_total\{type="unverified",outcome="signature-invalid"\} [4-9]/);
  assert.match(metrics.body, /stripe_webhook_deliveries_total\{type="unreadable",outcome="payload-invalid"\} [3-9]/);
});

test('verified but not ours to apply: a duplicate, an ignored type, an unknown tenant or price — 200, no effect, logged', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Quiet Club', 'free');
  const events = await h.standIn.completeCheckout(await h.checkout(owner));
  for (const event of events) assert.is((await h.deliver(event)).status, 200);
  const before = await eventCount(h);
  assert.equal((await h.deliver(events[1]!)).body, { received: true }, 'a duplicate');
  const ignored = { ...events[0]!, id: `evt_${uuidv7()}`, type: 'charge.succeeded' };
  assert.is((await h.deliver(ignored)).status, 200);
  const subscription = events[1]!.data.object as Stripe.Subscription;
  const strangerTenant = { ...events[1]!, id: `evt_${uuidv7()}`, data: { object: { ...subscription, metadata: { tenantId: uuidv7() } } } };
  assert.is((await h.deliver(strangerTenant)).status, 200);
  const notATenant = { ...events[1]!, id: `evt_${uuidv7()}`, data: { object: { ...subscription, metadata: { tenantId: 'x; DROP TABLE' } } } };
  assert.is((await h.deliver(notATenant)).status, 200);
  const strangePrice = { ...events[1]!, id: `evt_${uuidv7()}`, created: events[1]!.created + 5, data: { object: {
    ...subscription, items: { ...subscription.items, data: [{ ...subscription.items.data[0]!, price: { ...subscription.items.data[0]!.price, id: 'price_unknown' } }] } } } };
  assert.is((await h.deliver(strangePrice)).status, 200);
  assert.is(await eventCount(h), before, 'no tenant changed');
  const outcomes = (await h.platform.writePool.query(
    'SELECT event_id, outcome FROM stripe_webhook_deliveries WHERE event_id = ANY($1)', [[ignored.id, strangerTenant.id, notATenant.id, strangePrice.id]])).rows;
  assert.equal(Object.fromEntries(outcomes.map((r) => [r.event_id, r.outcome])), {
    [ignored.id]: 'ignored', [strangerTenant.id]: 'unknown-tenant', [notATenant.id]: 'unknown-tenant', [strangePrice.id]: 'unknown-price',
  });
  assert.is((await h.billingOf(tenantId))!.plan, 'pro');
});

test('the same event delivered five times at once: five 200s, one effect, one delivery recorded', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Eager Club', 'free');
  const events = await h.standIn.completeCheckout(await h.checkout(owner));
  const before = await eventCount(h);
  const replies = await Promise.all(Array.from({ length: 5 }, () => h.deliver(events[1]!)));
  assert.equal(replies.map((r) => r.status), [200, 200, 200, 200, 200]);
  const appended = (await eventCount(h)) - before;
  assert.is(appended, 2, 'TenantSubscriptionActivated and TenantPlanChanged, once');
  const { rows } = await h.platform.writePool.query('SELECT outcome FROM stripe_webhook_deliveries WHERE event_id = $1', [events[1]!.id]);
  assert.equal(rows, [{ outcome: 'applied' }]);
  assert.is((await h.billingOf(tenantId))!.plan, 'pro');
});

test('an invoice of a customer not linked yet is kept and applied when the checkout link arrives', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Early Invoice Club', 'free');
  const events = await h.standIn.completeCheckout(await h.checkout(owner));
  const bare = (event: Stripe.Event) => {
    const invoice = event.data.object as Stripe.Invoice;
    const parent = invoice.parent && { ...invoice.parent, subscription_details: invoice.parent.subscription_details && { ...invoice.parent.subscription_details, metadata: {} } };
    return { ...event, data: { object: { ...invoice, metadata: {}, parent } } };
  };
  h.clock.now += 10;
  const subscriptionFailed = (await h.standIn.failPayment(subscriptionOf(events))).find((e) => e.type === 'invoice.payment_failed')!;
  assert.is((await h.deliver(bare(subscriptionFailed))).status, 200);
  assert.is((await h.billingOf(tenantId))!.status, 'free', 'parked, not applied');
  for (const event of events) await h.deliver(event);
  assert.is((await h.billingOf(tenantId))!.status, 'past_due', 'the parked failure was applied once the customer was linked');
});

test('a parked notification stranded by a delivery that failed after linking is applied by the scheduler', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Stranded Club', 'free');
  const events = await h.standIn.completeCheckout(await h.checkout(owner));
  for (const event of events) await h.deliver(event);
  h.clock.now += 10;
  const failed = (await h.standIn.failPayment(subscriptionOf(events))).find((e) => e.type === 'invoice.payment_failed')!;
  const invoice = failed.data.object as Stripe.Invoice;
  const orphan = { ...failed, data: { object: { ...invoice, customer: 'cus_stranded', metadata: {},
    parent: invoice.parent && { ...invoice.parent, subscription_details: invoice.parent.subscription_details && { ...invoice.parent.subscription_details, metadata: {} } } } } };
  assert.is((await h.deliver(orphan)).status, 200);
  // The link a checkout delivery made before it failed (and was never retried successfully).
  await h.platform.writePool.query('INSERT INTO stripe_customers (customer_id, tenant_id) VALUES ($1, $2)', ['cus_stranded', tenantId]);
  assert.is((await h.billingOf(tenantId))!.status, 'active', 'still parked');
  await h.platform.scheduler.runOnce(new Date(h.clock.now * 1000));
  assert.is((await h.billingOf(tenantId))!.status, 'past_due', 'applied by the sweep');
  const { rows } = await h.platform.writePool.query('SELECT count(*)::int AS n FROM stripe_parked_notifications WHERE customer_id = $1', ['cus_stranded']);
  assert.is(rows[0].n, 0);
});

test('the scheduler: usage reported once a day with an idempotent identifier, member renewals keep the anchor day, twice changes nothing', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Metered Club', 'free');
  for (const event of await h.standIn.completeCheckout(await h.checkout(owner))) await h.deliver(event);
  const type = await h.command('POST', '/v1/membership-types', owner, { name: 'Gold', monthlyPriceCents: 1000, currency: 'EUR', features: [] });
  const member = await h.command('POST', '/v1/members', owner, { email: 'r@example.org', firstName: 'R', lastName: 'S' });
  await h.command('POST', '/v1/members', owner, { email: 's@example.org', firstName: 'S', lastName: 'T', invite: true });
  const subscribed = await h.command('POST', `/v1/members/${member.body.memberId}/subscription`, owner,
    { membershipTypeId: type.body.membershipTypeId, interval: 'month' });
  await h.query('/v1/tenant', owner, { 'x-consistency-position': String(subscribed.body.position) });
  const logged = async () => (await h.platform.writePool.query('SELECT count(*)::int AS n FROM stripe_webhook_deliveries')).rows[0].n as number;
  assert.ok(await logged() > 0);
  const now = new Date(Date.now() + 40 * 86400 * 1000);
  h.clock.now = Math.floor(now.getTime() / 1000);
  // Yesterday's figure was stored but never reached Stripe (a failed run): it is sent now.
  const yesterday = new Date(now.getTime() - 86400 * 1000).toISOString().slice(0, 10);
  await h.platform.writePool.query('INSERT INTO tenant_usage_days (tenant_id, day, member_seats) VALUES ($1, $2, 7)', [tenantId, yesterday]);
  await h.platform.scheduler.runOnce(now);
  await h.platform.scheduler.runOnce(now);
  const late = h.standIn.meterEvents.filter((e) => e.identifier === `${tenantId}:${yesterday}`);
  assert.equal(late.map((e) => e.payload.value), ['7'], 'the stored figure of the missed day, once');
  const reported = h.standIn.meterEvents.filter((e) => e.identifier === `${tenantId}:${now.toISOString().slice(0, 10)}`);
  assert.is(reported.length, 1, 'one meter event for the day, however often the scheduler runs');
  assert.equal([reported[0]!.event_name, reported[0]!.payload.value], ['member_seats', '2']);
  const usage = await h.query(`/v1/tenant/usage?from=${now.toISOString().slice(0, 10)}&to=${now.toISOString().slice(0, 10)}`, owner);
  assert.equal(usage.body.days.map((d: { memberSeats: number; reportedAt: string | null }) => [d.memberSeats, d.reportedAt !== null]), [[2, true]]);
  const history = await h.platform.eventStore.readStream(`member-${tenantId}_${member.body.memberId}`);
  const renewals = history.filter((e) => e.type === 'SubscriptionRenewed');
  const started = history.find((e) => e.type === 'SubscriptionStarted')!.data as { periodStart: string };
  assert.is(renewals.length, 1, 'one period ended in 40 days, renewed once, however often the scheduler ran');
  assert.is((renewals[0]!.data as { periodEnd: string }).periodEnd, addMonthsUtc(started.periodStart, 2), 'counted from the anchor');
  const metrics = await h.platform.commandApi.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /scheduler_runs_total\{result="succeeded"\} \d+/);
  assert.is(await logged(), 0, '40 days on, every delivery of this file is past the log\'s 30 days and was purged');
  assert.match(metrics.body, /tenants_by_billing_status\{status="active"\} \d+/);
});

test('the scheduler: a paid tenant without a Stripe customer has each day\'s figure stored once; later runs leave it alone', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Invoiced Club', 'pro');
  const member = await h.command('POST', '/v1/members', owner, { email: 'i@example.org', firstName: 'I', lastName: 'C' });
  await h.query('/v1/tenant', owner, { 'x-consistency-position': String(member.body.position) });
  // Days no other test of this file reports for (the test above runs 40 days on).
  const now = new Date(Date.now() + 50 * 86400 * 1000);
  const stored = async () => {
    const metrics = await h.platform.commandApi.inject({ method: 'GET', url: '/metrics' });
    return Number(/scheduler_actions_total\{action="usage-stored"\} (\d+)/.exec(metrics.body)?.[1] ?? 0);
  };
  await h.platform.scheduler.runOnce(now);
  const afterFirst = await stored();
  await h.platform.scheduler.runOnce(now);
  // Each figure costs a read of the tenant's whole plan-usage ledger: a run must not redo one.
  assert.is(await stored(), afterFirst, 'the same day again: nothing to send, nothing done again');
  await h.platform.scheduler.runOnce(new Date(now.getTime() + 86400 * 1000));
  const { rows } = await h.platform.writePool.query(
    'SELECT day::text, member_seats, reported_at FROM tenant_usage_days WHERE tenant_id = $1 ORDER BY day', [tenantId]);
  const day = (offset: number) => new Date(now.getTime() + offset * 86400 * 1000).toISOString().slice(0, 10);
  assert.equal(rows, [{ day: day(0), member_seats: 1, reported_at: null }, { day: day(1), member_seats: 1, reported_at: null }]);
  assert.is(h.standIn.meterEvents.filter((e) => e.identifier.startsWith(tenantId)).length, 0, 'no customer, nothing sent to Stripe');
});

test('the scheduler: while Stripe refuses the report, the stored figure is sent again each run without reading the plan-usage ledger again', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Outage Club', 'free');
  for (const event of await h.standIn.completeCheckout(await h.checkout(owner))) await h.deliver(event);
  const member = await h.command('POST', '/v1/members', owner, { email: 'o@example.org', firstName: 'O', lastName: 'C' });
  await h.query('/v1/tenant', owner, { 'x-consistency-position': String(member.body.position) });
  // Days no other test of this file reports for.
  const now = new Date(Date.now() + 60 * 86400 * 1000);
  let ledgerReads = 0;
  const events = h.platform.eventStore;
  const counting = { ...events, readStream: (streamId: string) => {
    if (streamId === tenantStreamId('planusage', tenantId)) ledgerReads += 1;
    return events.readStream(streamId);
  } };
  const day = now.toISOString().slice(0, 10);
  const attempts: string[] = [];
  const stripeDown = { reportMeterEvent: async ({ identifier }: { identifier: string }) => {
    attempts.push(identifier);
    throw new Error('Stripe is unreachable');
  } } as unknown as StripeBilling;
  const scheduler = createScheduler({ streams: createStreamStates(counting), pool: h.platform.writePool, stripe: stripeDown,
    newId: uuidv7, onError: () => undefined });
  await scheduler.reportUsage(now);
  await scheduler.reportUsage(now);
  await scheduler.reportUsage(now);
  assert.is(attempts.filter((identifier) => identifier === `${tenantId}:${day}`).length, 3, 'each run tried Stripe again');
  // The ledger holds one event per registration: a large tenant's is read once a day, not once a run.
  assert.is(ledgerReads, 1, 'the figure was counted once, then taken from where it is stored');
  h.clock.now = Math.floor(now.getTime() / 1000);
  await h.platform.scheduler.reportUsage(now);
  assert.equal(h.standIn.meterEvents.filter((e) => e.identifier === `${tenantId}:${day}`).map((e) => e.payload.value), ['1'],
    'Stripe back: the stored figure, once');
});

test.run();
