import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { envelope } from '../command-api/handle-command';
import type { DomainEvent } from '../domain/shared/event';
import { decideTenant, evolveTenant, initialTenantState, planLimits, type BillingFact, type Plan, type TenantEvent } from '../domain/tenant';
import { graceSeconds, invoiceFact, subscriptionFact } from '../domain/tenant/billing-fixtures';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { createPool } from '../infra/postgres/pool';
import { postgresReadModels } from '../projectors/read-models';
import { applyCheckpointedBatch } from '../projectors/runtime/checkpointed-batch';
import { startHarness, type Harness } from './platform-harness';

const now = '2026-03-03T12:00:00.000Z';
const test = suite<{ h: Harness }>('tenant billing view: GET /v1/tenant and /v1/tenant/usage');
test.before(async (context) => {
  context.h = await startHarness({ now: () => now });
});
test.after(async ({ h }) => h.close());

const seconds = (iso: string) => Date.parse(iso) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString();

async function provision(h: Harness, plan: Plan) {
  const operator = await h.token(uuidv7(), ['platform'], 'operator');
  const reply = await h.command('POST', '/v1/tenants', operator, { name: 'Club', subdomain: `b${uuidv7().slice(-12)}`, plan });
  assert.is(reply.status, 201, reply.text);
  const tenantId = reply.body.tenantId as string;
  return { tenantId, owner: await h.token(tenantId, ['owner']), position: reply.body.position as number };
}

const append = async (h: Harness, tenantId: string, streamId: string, events: DomainEvent[], expected: number | 'no-stream') => {
  const context = { tenantId, actor: { system: 'test' }, correlationId: uuidv7(), causationId: uuidv7(), now, newId: () => uuidv7() };
  return (await h.platform.eventStore.append(streamId, events.map((e) => envelope(e, context)), expected)).position;
};

/** What the webhook side does with each fact: decide on the stream's state, append with its revision. */
async function recordFacts(h: Harness, tenantId: string, facts: BillingFact[]) {
  const streamId = tenantStreamId('tenant', tenantId);
  const stored = await h.platform.eventStore.readStream(streamId);
  let state = stored.map((e) => e as unknown as TenantEvent).reduce(evolveTenant, initialTenantState);
  const events = facts.flatMap((fact) => {
    const decided = decideTenant({ type: 'RecordBillingFact', fact }, state);
    state = decided.reduce(evolveTenant, state);
    return decided;
  });
  return { events, position: await append(h, tenantId, streamId, events, stored.at(-1)!.streamRevision) };
}

const view = async (h: Harness, token: string, position: number) => {
  const reply = await h.query('/v1/tenant', token, { 'x-consistency-position': String(position) });
  assert.is(reply.status, 200, reply.text);
  return reply.body;
};

test('a tenant provisioned on pro is active, with no period, interval or grace', async ({ h }) => {
  const { owner, position } = await provision(h, 'pro');
  const tenant = await view(h, owner, position);
  assert.is(tenant.plan, 'pro');
  assert.equal(tenant.billing, { status: 'active', plan: 'pro', interval: null, currentPeriodEnd: null, cancelAtPeriodEnd: false, graceEndsAt: null });
  assert.equal(tenant.limits, planLimits.pro);
  assert.equal(tenant.warnings, []);
});

test('an activated subscription whose invoice then fails is past_due until the grace period ends; re-applying changes nothing', async ({ h }) => {
  const { tenantId, owner } = await provision(h, 'pro');
  const start = seconds('2026-03-01T00:00:00.000Z');
  const failedAt = start + 2 * 86400;
  const { events, position } = await recordFacts(h, tenantId, [
    subscriptionFact(start, 'evt_1', { interval: 'year', currentPeriodEnd: '2027-03-01T00:00:00.000Z' }),
    invoiceFact(failedAt, 'evt_2', { outcome: 'failed' }),
  ]);
  assert.equal(events.map((e) => e.type), ['TenantSubscriptionActivated', 'TenantPaymentFailed']);
  const expected = {
    status: 'past_due', plan: 'pro', interval: 'year', currentPeriodEnd: '2027-03-01T00:00:00.000Z', cancelAtPeriodEnd: false,
    graceEndsAt: iso(failedAt + graceSeconds),
  };
  assert.equal((await view(h, owner, position)).billing, expected);

  const row = async () => JSON.stringify((await h.platform.writePool.query('SELECT * FROM rm_tenants WHERE tenant_id = $1', [tenantId])).rows);
  const before = await row();
  assert.ok(before.includes('"revision":2'), before);
  const stream = await h.platform.eventStore.readStream(tenantStreamId('tenant', tenantId));
  const reapply = (batch: typeof stream) => applyCheckpointedBatch(h.platform.writePool, { ...postgresReadModels, name: `replay-${uuidv7()}` }, batch);
  await reapply(stream);
  assert.is(await row(), before, 'the whole stream again, from scratch');
  await reapply([stream[1]!]);
  assert.is(await row(), before, 'the older activation redelivered alone does not undo the failure');
  await reapply([stream[2]!, stream[2]!]);
  assert.is(await row(), before, 'the failure twice');
  assert.equal((await view(h, owner, position)).billing, expected);
});

test('warnings at 80 % of a limit, on the plan in force; an inactive member frees a seat, a suspended one holds it', async ({ h }) => {
  const { tenantId, owner } = await provision(h, 'free');
  let position = 0;
  for (const name of ['Bronze', 'Silver']) {
    position = (await h.command('POST', '/v1/membership-types', owner, { name, monthlyPriceCents: 1000, currency: 'EUR', features: [] })).body.position;
  }
  const two = await view(h, owner, position);
  assert.equal(two.billing, { status: 'free', plan: 'free', interval: null, currentPeriodEnd: null, cancelAtPeriodEnd: false, graceEndsAt: null });
  assert.equal(two.warnings, [], '2 of 3 types is under 80 %');
  position = (await h.command('POST', '/v1/membership-types', owner, { name: 'Gold', monthlyPriceCents: 1000, currency: 'EUR', features: [] })).body.position;
  assert.equal((await view(h, owner, position)).warnings, [{ code: 'plan-limit-near', resource: 'membershipTypes', usage: 3, limit: 3 }]);

  // 200 members hold a seat (80 % of 250): 199 active, 1 pending.
  const memberIds = Array.from({ length: 200 }, () => uuidv7());
  const positions = await Promise.all(memberIds.map((memberId, n) => append(h, tenantId, tenantStreamId('member', tenantId, memberId), [{
    type: 'MemberRegistered',
    data: { memberId, email: `m${n}@example.org`, firstName: 'M', lastName: `N${n}`, membershipTypeId: null, status: n === 0 ? 'pending' : 'active' },
  }], 'no-stream')));
  position = Math.max(...positions);
  const full = await view(h, owner, position);
  assert.equal(full.usage, { members: 200, activeMembers: 199, inactiveMembers: 0, membershipTypes: 3 });
  assert.equal(full.warnings, [
    { code: 'plan-limit-near', resource: 'members', usage: 200, limit: 250 },
    { code: 'plan-limit-near', resource: 'membershipTypes', usage: 3, limit: 3 },
  ]);

  await append(h, tenantId, tenantStreamId('member', tenantId, memberIds[1]!), [{ type: 'MemberSuspended', data: { reason: 'unpaid' } }], 0);
  position = await append(h, tenantId, tenantStreamId('member', tenantId, memberIds[2]!), [{ type: 'MemberDeactivated', data: { reason: 'left' } }], 0);
  const freed = await view(h, owner, position);
  assert.equal(freed.usage, { members: 199, activeMembers: 197, inactiveMembers: 1, membershipTypes: 3 });
  assert.equal(freed.warnings.map((w: { resource: string }) => w.resource), ['membershipTypes']);

  // Upgraded through Stripe: the plan in force is pro, and so are the limits the warnings use.
  position = (await recordFacts(h, tenantId, [subscriptionFact(seconds('2026-03-02T00:00:00.000Z'), 'evt_up')])).position;
  const upgraded = await view(h, owner, position);
  assert.is(upgraded.plan, 'pro');
  assert.is(upgraded.billing.status, 'active');
  assert.equal(upgraded.limits, planLimits.pro);
  assert.equal(upgraded.warnings, []);
});

test('usage days: this tenant\'s only, ascending, within the range (default the last 30 days); RLS hides the others', async ({ h }) => {
  const a = await provision(h, 'pro');
  const b = await provision(h, 'pro');
  const insert = (tenantId: string, day: string, seats: number, reportedAt: string | null) => h.platform.writePool.query(
    'INSERT INTO tenant_usage_days (tenant_id, day, member_seats, reported_at) VALUES ($1, $2, $3, $4)', [tenantId, day, seats, reportedAt]);
  await insert(a.tenantId, '2026-03-02', 11, null);
  await insert(a.tenantId, '2026-03-01', 10, '2026-03-02T00:05:00.000Z');
  await insert(a.tenantId, '2026-03-04', 13, null);
  await insert(a.tenantId, '2026-01-15', 9, '2026-01-16T00:05:00.000Z');
  await insert(a.tenantId, '2026-02-01', 8, null);
  await insert(b.tenantId, '2026-03-01', 99, null);

  const byDefault = await h.query('/v1/tenant/usage', a.owner);
  assert.is(byDefault.status, 200, byDefault.text);
  assert.equal(byDefault.body, { days: [
    { date: '2026-03-01', memberSeats: 10, reportedAt: '2026-03-02T00:05:00.000Z' },
    { date: '2026-03-02', memberSeats: 11, reportedAt: null },
  ] }, 'from 2026-02-02 to today (2026-03-03)');
  const ranged = await h.query('/v1/tenant/usage?from=2026-01-15&to=2026-03-01', await h.token(a.tenantId, ['auditor']));
  assert.equal(ranged.body.days.map((d: { date: string }) => d.date), ['2026-01-15', '2026-02-01', '2026-03-01']);
  const other = await h.query('/v1/tenant/usage?from=2026-03-01&to=2026-03-01', await h.token(b.tenantId, ['admin']));
  assert.equal(other.body, { days: [{ date: '2026-03-01', memberSeats: 99, reportedAt: null }] });

  const asQueryRole = createPool({ connectionString: h.database.queryUrl, max: 1, applicationName: 'usage-rls-test' });
  try {
    const client = await asQueryRole.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [b.tenantId]);
      assert.equal((await client.query('SELECT tenant_id, member_seats FROM tenant_usage_days')).rows, [{ tenant_id: b.tenantId, member_seats: 99 }]);
      const write = await client.query('INSERT INTO tenant_usage_days VALUES ($1, \'2026-03-05\', 1, NULL)', [b.tenantId]).catch((e) => e);
      assert.instance(write, Error, 'the query role cannot write');
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  } finally {
    await asQueryRole.end();
  }
});

test('usage days: bad dates, from after to and ranges over 366 days are 400s naming the field; staff is 403', async ({ h }) => {
  const { tenantId, owner } = await provision(h, 'pro');
  for (const [query, field] of [
    ['from=2026-03-05&to=2026-03-01', 'from'], ['from=2026-02-30', 'from'], ['to=yesterday', 'to'],
    ['from=2025-01-01&to=2026-01-02', 'to'], ['from=2025-01-01', 'from'],
  ] as const) {
    const reply = await h.query(`/v1/tenant/usage?${query}`, owner);
    assert.is(reply.status, 400, query);
    assert.is(reply.body.code, 'validation-failed', query);
    assert.equal([...new Set(reply.body.errors.map((e: { path: string }) => e.path))], [field], query);
  }
  assert.is((await h.query('/v1/tenant/usage?from=2025-01-01&to=2026-01-01', owner)).status, 200, '366 days, inclusive');
  const staff = await h.query('/v1/tenant/usage', await h.token(tenantId, ['staff']));
  assert.is(staff.status, 403);
});

test.run();
