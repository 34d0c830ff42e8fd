import { suite } from 'uvu';
import { runsPerQuery, scansOf } from './index-scans';
import * as assert from 'uvu/assert';
import { Kysely, PostgresDialect } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { DomainEvent } from '../domain/shared/event';
import { createPool } from '../infra/postgres/pool';
import type { ReadModelDatabase } from '../infra/read-models/database';
import { sortOrders } from '../query-api/routes/members/member-cursor';
import { memberCountQuery, memberPageQuery, toMemberPage } from '../query-api/routes/members/member-page';
import { createPreparedReads } from '../query-api/prepared-reads';
import { appendToMember, registered, stripeTerms } from './member-subscription-fixture';
import { startHarness, type Harness } from './platform-harness';

type Members = Record<'active' | 'pastDue' | 'lapsed' | 'cancelled' | 'none', string[]>;
const test = suite<{ h: Harness; owner: string; tenantId: string; members: Members; position: number; gold: string; silver: string }>(
  'GET /v1/members?subscriptionStatus= and the CSV export: by subscription status, through an index');
const [march, april, may] = ['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'];

/**
 * One tenant: five subscribed (one suspended, one with a downgrade pending), one past due, one
 * lapsed, one cancelled, two never subscribed.
 */
test.before(async (context) => {
  context.h = await startHarness({ now: () => '2026-03-03T12:00:00.000Z' });
  const { tenantId, owner } = await context.h.createTenant();
  Object.assign(context, { tenantId, owner, gold: uuidv7(), silver: uuidv7() });
  const started: DomainEvent = { type: 'SubscriptionStarted', data: stripeTerms(context.gold, 2000, march, april) };
  const pastDue: DomainEvent = { type: 'SubscriptionPastDue', data: { graceEndsAt: '2026-04-15T00:00:00.000Z' } };
  const plans: Array<[keyof Members, DomainEvent[]]> = [
    ...Array.from({ length: 4 }, (): [keyof Members, DomainEvent[]] => ['active', [started]]),
    ['active', [started, { type: 'SubscriptionPlanChangeScheduled', data: stripeTerms(context.silver, 1000, april, may) }]],
    ['pastDue', [started, pastDue]],
    ['lapsed', [started, pastDue, { type: 'SubscriptionLapsed', data: { graceEndsAt: '2026-04-15T00:00:00.000Z' } }]],
    ['cancelled', [started, { type: 'SubscriptionCancelled', data: { reason: 'cancelled-in-stripe' } }]],
    ['none', []], ['none', []],
  ];
  context.members = { active: [], pastDue: [], lapsed: [], cancelled: [], none: [] };
  let n = 0;
  for (const [status, events] of plans) {
    const memberId = uuidv7();
    context.members[status].push(memberId);
    // One at a time, so that createdAt orders them (and the sorts have something to order).
    context.position = await appendToMember(context.h, tenantId, memberId, [registered(memberId, `${n}`.padStart(2, '0')), ...events],
      new Date(Date.parse(march) + 1000 * n++).toISOString());
  }
  context.position = await appendToMember(context.h, tenantId, context.members.active[0]!, [{ type: 'MemberSuspended', data: { reason: 'x' } }]);
});
test.after(async ({ h }) => h.close());

const ids = (items: { memberId: string }[]) => items.map((m) => m.memberId).sort();

test('each status lists exactly its members, and total counts them', async ({ h, owner, members, position }) => {
  const expected: Record<string, string[]> = { active: members.active, past_due: members.pastDue, lapsed: members.lapsed,
    cancelled: members.cancelled, none: members.none };
  for (const [status, memberIds] of Object.entries(expected)) {
    const reply = await h.query(`/v1/members?subscriptionStatus=${status}`, owner, { 'x-consistency-position': String(position) });
    assert.is(reply.status, 200, reply.text);
    assert.equal(ids(reply.body.items), [...memberIds].sort(), status);
    assert.is(reply.body.total, memberIds.length, status);
    assert.ok(reply.body.items.every((m: { subscription: { status: string } | null }) => (m.subscription?.status ?? 'none') === status), status);
  }
});

test('paged by cursor two at a time in every sort, the filter holds on every page and no member is seen twice', async ({ h, owner, members }) => {
  for (const sort of sortOrders) {
    const seen: string[] = [];
    let url: string | null = `/v1/members?subscriptionStatus=active&limit=2&sort=${sort}`;
    while (url) {
      const reply = await h.query(url, owner);
      assert.is(reply.status, 200, `${sort}: ${reply.text}`);
      assert.is(reply.body.total, 5, sort);
      seen.push(...reply.body.items.map((m: { memberId: string }) => m.memberId));
      url = reply.body.nextCursor ? `/v1/members?subscriptionStatus=active&limit=2&sort=${sort}&cursor=${reply.body.nextCursor}` : null;
    }
    assert.is(seen.length, 5, sort);
    assert.equal([...seen].sort(), [...members.active].sort(), sort);
  }
});

test('it combines with status=, q= and membershipTypeId=', async ({ h, owner, members }) => {
  const suspended = await h.query('/v1/members?subscriptionStatus=active&status=suspended', owner);
  assert.equal([ids(suspended.body.items), suspended.body.total], [[members.active[0]], 1]);
  const activeNone = await h.query('/v1/members?subscriptionStatus=none&status=active', owner);
  assert.equal([ids(activeNone.body.items), activeNone.body.total], [[...members.none].sort(), 2]);
  const searched = await h.query('/v1/members?subscriptionStatus=lapsed&q=L06', owner);
  assert.equal([ids(searched.body.items), searched.body.total], [members.lapsed, 1]);
  const missed = await h.query('/v1/members?subscriptionStatus=past_due&q=L06', owner);
  assert.equal([missed.body.items, missed.body.total], [[], 0]);
  const typed = await h.query(`/v1/members?subscriptionStatus=active&membershipTypeId=${uuidv7()}`, owner);
  assert.equal([typed.body.items, typed.body.total], [[], 0]);
});

test('the CSV export appends the subscription columns and takes the same filter', async ({ h, owner, members, gold, silver }) => {
  const all = (await h.query('/v1/members/export.csv?sort=createdAt', owner)).text.trim().split('\r\n');
  assert.is(all[0], 'memberId,email,firstName,lastName,status,membershipTypeId,membershipTypeName,createdAt,updatedAt,lastActivityAt,'
    + 'subscriptionStatus,subscriptionBilling,subscriptionMembershipTypeId,subscriptionMonthlyAmountCents,subscriptionCurrency,'
    + 'subscriptionPeriodEnd,subscriptionPendingChange');
  const line = (memberId: string) => all.find((l) => l.startsWith(memberId))!.split(',').slice(10);
  assert.equal(line(members.active[4]!), ['active', 'stripe', gold, '2000', 'EUR', april, silver]);
  assert.equal(line(members.pastDue[0]!), ['past_due', 'stripe', gold, '2000', 'EUR', april, '']);
  assert.equal(line(members.cancelled[0]!), ['cancelled', 'stripe', gold, '2000', 'EUR', april, '']);
  assert.equal(line(members.none[0]!), ['none', '', '', '', '', '', '']);
  const lapsed = (await h.query('/v1/members/export.csv?subscriptionStatus=lapsed', owner)).text.trim().split('\r\n');
  assert.equal(lapsed.map((l) => l.split(',')[0]), ['memberId', members.lapsed[0]]);
});

test('among 20,000 members the filter reads rm_members_subscription_status, never the tenant’s rows', async ({ h }) => {
  const tenantId = uuidv7();
  await h.database.pool.query(`INSERT INTO rm_members (tenant_id, member_id, email, first_name, last_name, status, created_at, updated_at,
      revision, subscription)
    SELECT $1::uuid, gen_random_uuid(), 'many' || n || '@example.org', 'F' || n, md5(n::text), 'active', now(), now(), 0,
      CASE WHEN n % 1000 = 0 THEN '{"status": "past_due"}'::jsonb END
    FROM generate_series(1, 20000) n`, [tenantId]);
  await h.database.pool.query('ANALYZE rm_members');
  const queryPool = createPool({ connectionString: h.database.queryUrl, max: 1, applicationName: 'subscription-filter-test' });
  try {
    for (const sort of sortOrders) {
      const db = new Kysely<ReadModelDatabase>({ dialect: new PostgresDialect({ pool: queryPool }) });
      const filter = { subscriptionStatus: 'past_due' as const, sort };
      const sent = [memberPageQuery(db, filter, null, 50), memberCountQuery(db, filter)] as const;
      const [found, [counted]] = await createPreparedReads(queryPool).read(tenantId, sent);
      assert.equal([toMemberPage(found, filter, 50).items.length, counted?.total], [20, 20], sort);
      const scans = await scansOf(queryPool, tenantId, [...sent], 'rm_members_subscription_status');
      assert.ok(scans.index_scans >= runsPerQuery * sent.length, `${sort}: index scans ${scans.index_scans} for ${sent.length} statements`);
      assert.is(scans.table_scans, 0, `${sort}: no sequential scan of rm_members`);
    }
  } finally {
    await queryPool.end();
  }
});


test.run();
