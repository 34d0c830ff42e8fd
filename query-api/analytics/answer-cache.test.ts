import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import type { Pool } from 'pg';
import type { AnalyticsStore } from '../../infra/analytics/port';
import { createTestAnalyticsStore } from '../../infra/analytics/test-analytics-store';
import { defaultReadLimits, tenantReads } from '../../infra/analytics/tenant-reads';
import type { EventEnvelope } from '../../infra/event-store/port';
import { tenantStreamId } from '../../infra/event-store/stream-name';
import { createPool } from '../../infra/postgres/pool';
import { createTestDatabase, type TestDatabase } from '../../infra/postgres/test-database';
import { clickHouseAnalytics } from '../../projectors/analytics/analytics-projection';
import { advanceEveryTenantVersion, applyAnalyticsBatch, applyAnalyticsPartitionBatch } from '../../projectors/runtime/analytics-batch';
import { createAnalyticsVersions } from '../analytics-versions';
import { createAnalyticsAnswerCache, type AnalyticsAnswerCache } from './answer-cache';
import { fixtureLog } from './fixture-log';
import { readOverview } from './overview-query';
import { readMrrAt } from './revenue-query';

type Context = { db: TestDatabase; queryPool: Pool; raw: AnalyticsStore; store: AnalyticsStore; seen: { queries: number }; cache: AnalyticsAnswerCache };
const test = suite<Context>('analytics answer cache, on chDB and PostgreSQL');
const projection = { ...clickHouseAnalytics, name: 'answer-cache-test' };
const [a, b] = [uuidv7(), uuidv7()];

test.before(async (context) => {
  context.db = await createTestDatabase();
  context.queryPool = createPool({ connectionString: context.db.queryUrl, max: 4, applicationName: 'tests' });
  context.raw = await createTestAnalyticsStore();
  // The reads as the query API makes them, counted where they reach chDB.
  context.seen = { queries: 0 };
  context.store = tenantReads({ ...context.raw, query: (...args) => { context.seen.queries += 1; return context.raw.query(...args); } }, defaultReadLimits);
  context.cache = createAnalyticsAnswerCache({ versions: createAnalyticsVersions(context.queryPool) });
  await apply(context, [...members(a, 3), ...members(b, 1)]);
});
test.after(async ({ db, queryPool, raw }) => {
  await raw.close();
  await queryPool.end();
  await db.drop();
});

// One log for both tenants: positions grow across them, as in the store.
let position = 0;
function members(tenantId: string, count: number, day = '2026-03-05'): EventEnvelope[] {
  const { events, append } = fixtureLog(tenantId);
  for (let n = 0; n < count; n++) {
    const memberId = uuidv7();
    append(tenantStreamId('member', tenantId, memberId), 'MemberRegistered', day,
      { memberId, email: `${memberId}@example.org`, firstName: 'F', lastName: 'L', membershipTypeId: null, status: 'active' });
    append(tenantStreamId('activity', tenantId, uuidv7()), 'ActivityRecorded', day, { memberId, activityType: 'login', occurredAt: `${day}T09:00:00.000Z` });
  }
  return events.map((event) => ({ ...event, position: ++position }));
}
const apply = ({ raw, db }: Context, events: EventEnvelope[]) => applyAnalyticsBatch(raw, db.pool, projection, events);

/** One request's overview, and how many queries reached chDB for it. */
async function overview({ cache, store, seen }: Context, tenantId: string, today = '2026-03-20', view = cache.forRequest(store)) {
  const before = seen.queries;
  const answer = await readOverview(view, { tenantId, today, currency: null });
  return { answer, queries: seen.queries - before };
}

test('a question asked again is answered from the cache, without a query, the same', async (context) => {
  const first = await overview(context, a);
  assert.ok(first.queries > 0);
  assert.is(first.answer.totalMembers, 3);
  const again = await overview(context, a);
  assert.is(again.queries, 0);
  assert.equal(again.answer, first.answer);
});

test('an event of the tenant applied by the projection is answered anew; another tenant\'s is not', async (context) => {
  await overview(context, a);
  await apply(context, members(b, 1));
  assert.is((await overview(context, a)).queries, 0, 'tenant b\'s event leaves tenant a\'s answers');
  await apply(context, members(a, 1, '2026-03-18'));
  const fresh = await overview(context, a);
  assert.ok(fresh.queries > 0);
  assert.equal([fresh.answer.totalMembers, fresh.answer.activeThisMonth], [4, 4]);
  // The Kafka applier moves the version on too.
  const messages = members(a, 1, '2026-03-19').map((event, offset) => ({ offset: String(offset), event }));
  await applyAnalyticsPartitionBatch(context.raw, context.db.pool, projection, 'answer-cache-test', 0, messages);
  assert.is((await overview(context, a)).answer.totalMembers, 5);
});

test('a request reads the version at its first query (after its X-Consistency-Position wait), not before', async (context) => {
  await overview(context, a);
  const view = context.cache.forRequest(context.store);
  await apply(context, members(a, 1, '2026-03-19'));
  const { answer, queries } = await overview(context, a, '2026-03-20', view);
  assert.ok(queries > 0);
  assert.is(answer.totalMembers, 6);
});

test('the day after is another question: a date rollover is never answered with yesterday\'s figures', async (context) => {
  const march = await overview(context, a, '2026-03-31');
  const april = await overview(context, a, '2026-04-01');
  assert.ok(april.queries > 0);
  assert.is(march.answer.activeThisMonth, 6);
  assert.is(april.answer.activeThisMonth, 0, 'nobody active in April yet');
});

test('one tenant never gets another\'s answer to the same question', async (context) => {
  const ofA = await overview(context, a, '2026-03-25');
  const ofB = await overview(context, b, '2026-03-25');
  assert.ok(ofB.queries > 0);
  assert.equal([ofA.answer.totalMembers, ofB.answer.totalMembers], [6, 2]);
  assert.is((await overview(context, b, '2026-03-25')).answer.totalMembers, 2);
});

test('a failed query is not kept: its waiters get the error, the next request queries again', async (context) => {
  let failures = 1;
  const flaky: AnalyticsStore = { ...context.store, query: async (...args) => {
    if (failures-- > 0) throw new Error('chDB went away');
    return context.store.query(...args);
  } };
  const failed = await readOverview(context.cache.forRequest(flaky), { tenantId: a, today: '2026-03-26', currency: null }).catch((error) => error);
  assert.match(String(failed), /chDB went away/);
  const before = context.seen.queries;
  const answer = await readOverview(context.cache.forRequest(flaky), { tenantId: a, today: '2026-03-26', currency: null });
  // The overview asks two questions: the one that failed is asked again, the one that succeeded is kept.
  assert.is(context.seen.queries - before, 1);
  assert.is(answer.totalMembers, 6);
});

test('concurrent identical misses run one query each question, and all get its answer', async (context) => {
  const alone = await overview(context, a, '2026-03-27');
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  // ClickHouse slow to answer: the requests arrive while the first one's queries run.
  const slow: AnalyticsStore = { ...context.store, query: async (...args) => { await held; return context.store.query(...args); } };
  const before = context.seen.queries;
  const misses = context.cache.stats().misses;
  const answers = Promise.all(Array.from({ length: 8 }, () => readOverview(context.cache.forRequest(slow), { tenantId: a, today: '2026-03-28', currency: null })));
  await new Promise((resolve) => setTimeout(resolve, 300));
  release();
  const all = await answers;
  assert.is(context.seen.queries - before, alone.queries);
  assert.is(context.cache.stats().misses - misses, alone.queries);
  for (const answer of all) assert.equal(answer, all[0]);
});

test('a tenant asking many questions pushes out its own answers, not another tenant\'s', async (context) => {
  const shared = createAnalyticsAnswerCache({ versions: createAnalyticsVersions(context.queryPool), maxEntries: 5, maxEntriesPerTenant: 3 });
  const mrr = async (tenantId: string, day: string) => {
    const before = context.seen.queries;
    await readMrrAt(shared.forRequest(context.store), { tenantId, day, currency: 'EUR' });
    return context.seen.queries - before;
  };
  assert.is(await mrr(b, '2026-03-01'), 1);
  for (let day = 1; day <= 9; day += 1) await mrr(a, `2026-04-0${day}`);
  assert.is(shared.stats().entries, 4, 'three of a, one of b');
  assert.is(await mrr(b, '2026-03-01'), 0, 'b’s answer survived a’s nine questions');
  assert.equal([await mrr(a, '2026-04-09'), await mrr(a, '2026-04-01')], [0, 1], 'a keeps its three most recent');
});

test('a tenant asking for long answers keeps a fifth of the rows, and another tenant\'s answers stay', async (context) => {
  const shared = createAnalyticsAnswerCache({ versions: createAnalyticsVersions(context.queryPool), maxRows: 100 });
  const rowsOf = async (tenant: string, rows: number) => {
    const before = context.seen.queries;
    const answer = await shared.forRequest(context.store).query<{ n: string }>('SELECT number AS n FROM system.numbers LIMIT {rows:UInt32}', { tenant, rows });
    assert.is(answer.length, rows);
    return context.seen.queries - before;
  };
  assert.is(await rowsOf(b, 15), 1);
  for (let rows = 11; rows <= 19; rows += 1) await rowsOf(a, rows);
  assert.ok(shared.stats().rows <= 15 + 20, `${shared.stats().rows} rows kept`);
  assert.is(await rowsOf(b, 15), 0, 'b’s answer survived a’s nine long ones');
  assert.equal([await rowsOf(a, 19), await rowsOf(a, 11)], [0, 1], 'a keeps its most recent within its share');
});

test('bounded: the least recently used answer goes first; a rebuild moves every tenant\'s version on', async (context) => {
  const small = createAnalyticsAnswerCache({ versions: createAnalyticsVersions(context.queryPool), maxEntries: 2 });
  const mrr = async (day: string) => {
    const before = context.seen.queries;
    await readMrrAt(small.forRequest(context.store), { tenantId: a, day, currency: 'EUR' });
    return context.seen.queries - before;
  };
  assert.equal([await mrr('2026-03-01'), await mrr('2026-03-02'), await mrr('2026-03-01')], [1, 1, 0]);
  assert.is(await mrr('2026-03-03'), 1); // 03-02, least recently used, is dropped
  assert.equal([await mrr('2026-03-01'), await mrr('2026-03-02')], [0, 1]);
  assert.is(small.stats().entries, 2);
  await advanceEveryTenantVersion(context.db.pool);
  assert.is(await mrr('2026-03-02'), 1);
  assert.ok((await overview(context, b, '2026-03-25')).queries > 0);
});

test.run();
