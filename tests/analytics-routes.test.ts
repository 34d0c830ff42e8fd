import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from './platform-harness';

// The platform's clock is fixed: commands are stamped 2026-03-20 and "this month" is March 2026.
const now = '2026-03-20T12:00:00.000Z';
const test = suite<{ h: Harness; owner: string; position: string }>('analytics routes, through the API (embedded chDB)');

test.before(async (context) => {
  const h = await startHarness({ now: () => now });
  const { owner } = await h.createTenant('Analytics Club');
  const type = await h.command('POST', '/v1/membership-types', owner, { name: 'Standard', monthlyPriceCents: 1000, currency: 'EUR', features: [] });
  const members: string[] = [];
  for (const name of ['Ada', 'Bob', 'Cy']) {
    const reply = await h.command('POST', '/v1/members', owner, { email: `${name}@example.org`, firstName: name, lastName: 'Member' });
    members.push(reply.body.memberId);
  }
  const premium = await h.command('POST', '/v1/membership-types', owner, { name: 'Premium', monthlyPriceCents: 3000, currency: 'EUR', features: [] });
  const subscribe = async (member: string, membershipTypeId: string) => {
    const reply = await h.command('POST', `/v1/members/${member}/subscription`, owner, { membershipTypeId, interval: 'month' });
    assert.ok(reply.status < 300, reply.text);
  };
  // Ada pays 1000; Bob starts on Premium and downgrades at once; Cy subscribes and cancels at once.
  const [ada, bob, cy] = members as [string, string, string];
  await subscribe(ada, type.body.membershipTypeId);
  await subscribe(bob, premium.body.membershipTypeId);
  await subscribe(bob, type.body.membershipTypeId);
  await subscribe(cy, type.body.membershipTypeId);
  const cancelled = await h.command('POST', `/v1/members/${cy}/subscription/cancel`, owner, { atPeriodEnd: false });
  assert.ok(cancelled.status < 300, cancelled.text);
  const at = (day: string, i: number) => `2026-03-${day}T${String(i % 10).padStart(2, '0')}:00:00.000Z`;
  const items = [
    ...Array.from({ length: 25 }, (_, i) => ({ memberId: members[0], type: 'login', occurredAt: at('19', i) })),
    ...Array.from({ length: 6 }, (_, i) => ({ memberId: members[1], type: 'event.attended', occurredAt: at('20', i) })),
  ];
  const accepted = await h.command('POST', '/v1/activities', owner, { items });
  assert.is(accepted.status, 202, accepted.text);
  Object.assign(context, { h, owner, position: String(accepted.body.position) });
});
test.after(async ({ h }) => h.close());

const get = (context: { h: Harness; owner: string; position: string }, url: string) =>
  context.h.query(url, context.owner, { 'x-consistency-position': context.position });

test('overview: members, active this month, MRR in the tenant\'s currency, retention', async (context) => {
  const reply = await get(context, '/v1/analytics/overview');
  assert.is(reply.status, 200, reply.text);
  // Nobody was active in February, so no one could be retained: 0.
  assert.equal(reply.body, { totalMembers: 3, activeThisMonth: 2, monthlyRevenueCents: 2000, currency: 'EUR', retentionRate: 0 });
});

test('engagement by day over a week: series, segments, DAU/WAU/MAU, stickiness, lifecycle', async (context) => {
  const reply = await get(context, '/v1/analytics/engagement?from=2026-03-14&to=2026-03-20&interval=day');
  assert.is(reply.status, 200, reply.text);
  const body = reply.body;
  assert.is(body.interval, 'day');
  assert.equal(body.series.filter((p: { activities: number }) => p.activities > 0), [
    { period: '2026-03-19', activeMembers: 1, activities: 25 },
    { period: '2026-03-20', activeMembers: 1, activities: 6 },
  ]);
  assert.is(body.series.length, 7);
  assert.equal(body.segments, { highlyActive: 1, moderatelyActive: 1, lowActivity: 1 });
  assert.equal([body.dau, body.wau, body.mau, body.stickiness], [1, 2, 2, 0.5]);
  assert.equal(body.lifecycle.at(-1), { period: '2026-03-20', new: 1, returning: 0, resurrecting: 0, dormant: 1 });
});

test('retention: the March cohort, two of three active in its first month', async (context) => {
  const reply = await get(context, '/v1/analytics/retention?from=2026-03-01&to=2026-03-20&mode=on_or_after');
  assert.is(reply.status, 200, reply.text);
  assert.equal(reply.body, { period: 'month', mode: 'on_or_after', cohorts: [{ cohort: '2026-03', size: 3, retained: [2], rates: [0.6667] }] });
});

test('revenue: movements recorded per change within March (a start then a downgrade, a start then a cancellation)', async (context) => {
  const reply = await get(context, '/v1/analytics/revenue?from=2026-03-01&to=2026-03-31');
  assert.is(reply.status, 200, reply.text);
  // New: Ada 1000 + Bob 3000 + Cy 1000; contraction: Bob 3000 → 1000; churn: Cy 1000. MRR 2000.
  // Net churn: MRR at the start is 0, null; quick ratio 5000 / 3000.
  assert.equal(reply.body, {
    currency: 'EUR',
    months: [{ month: '2026-03', mrrCents: 2000, newCents: 5000, expansionCents: 0, contractionCents: 2000, churnCents: 1000, reactivationCents: 0, netMrrChurn: null, quickRatio: 1.6667 }],
    netMrrChurn: null, quickRatio: 1.6667,
  });
});

test('bad parameters are a 400 problem naming the field', async (context) => {
  for (const [url, field] of [
    ['/v1/analytics/engagement?from=2026-03-20&to=2026-03-01', 'from'],
    ['/v1/analytics/engagement?interval=hour', 'interval'],
    ['/v1/analytics/retention?from=2026-02-30', 'from'],
    ['/v1/analytics/engagement?from=1969-12-01&to=1969-12-31', 'from'],
    ['/v1/analytics/retention?mode=always', 'mode'],
    ['/v1/analytics/revenue?from=2010-01-01&to=2026-01-01', 'to'],
    ['/v1/analytics/revenue?currency=euro', 'currency'],
  ] as const) {
    const reply = await context.h.query(url, context.owner);
    assert.is(reply.status, 400, url);
    assert.match(String(reply.headers['content-type']), /application\/problem\+json/);
    assert.ok(reply.body.errors.some((e: { path: string }) => e.path === field), `${url}: ${reply.text}`);
  }
});

test('another tenant sees nothing of this one; no token is a 401', async (context) => {
  const { owner: stranger } = await context.h.createTenant('Other Club');
  const overview = await context.h.query('/v1/analytics/overview', stranger);
  assert.equal(overview.body, { totalMembers: 0, activeThisMonth: 0, monthlyRevenueCents: 0, currency: null, retentionRate: 0 });
  const engagement = await context.h.query('/v1/analytics/engagement?from=2026-03-14&to=2026-03-20', stranger);
  assert.equal([engagement.body.mau, engagement.body.segments.lowActivity], [0, 0]);
  assert.is((await context.h.query('/v1/analytics/overview', '')).status, 401);
});

test.run();
