import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { eventDefinitions } from '../../domain/event-definitions';
import type { AnalyticsStore } from '../../infra/analytics/port';
import { createTestAnalyticsStore } from '../../infra/analytics/test-analytics-store';
import { guardEventStore } from '../../infra/event-store/guarded-event-store';
import type { EventStore, NewEvent } from '../../infra/event-store/port';
import { createPostgresEventStore } from '../../infra/event-store/postgres-event-store';
import { tenantStreamId } from '../../infra/event-store/stream-name';
import { createTestDatabase, type TestDatabase } from '../../infra/postgres/test-database';
import { clickHouseAnalytics } from '../analytics/analytics-projection';
import { applyAnalyticsPartitionBatch } from './analytics-batch';
import { OffsetGapError } from './partition-batch';

const test = suite<{ db: TestDatabase; store: EventStore; analytics: AnalyticsStore }>('analytics partition batch');
test.before(async (context) => {
  context.db = await createTestDatabase();
  context.store = guardEventStore(createPostgresEventStore(context.db.pool), eventDefinitions);
  context.analytics = await createTestAnalyticsStore();
});
test.after(async ({ db, analytics }) => {
  await analytics.close();
  await db.drop();
});

const tenantId = uuidv7();
const activity = (): NewEvent => ({
  eventId: uuidv7(), type: 'ActivityRecorded', schemaVersion: 1, tenantId, occurredAt: '2026-03-01T10:00:00.000Z',
  actor: { system: 'test' }, correlationId: uuidv7(), causationId: uuidv7(),
  data: { memberId: uuidv7(), activityType: 'login', occurredAt: '2026-03-01T09:00:00.000Z' },
});
const record = (store: EventStore) => store.append(tenantStreamId('activity', tenantId, uuidv7()), [activity()], 'no-stream');
const activityRows = async (analytics: AnalyticsStore) => Number((await analytics.query<{ n: number }>(
  'SELECT count() AS n FROM activity_facts FINAL WHERE tenant_id = {tenantId:UUID}', { tenantId }))[0]!.n);

test('no PostgreSQL transaction holds the log back while ClickHouse inserts: an event appended meanwhile is readable', async ({ db, store, analytics }) => {
  const first = await record(store);
  const [event] = await store.readAll(first.position - 1, { limit: 1 });
  let inserting!: () => void;
  const started = new Promise<void>((resolve) => { inserting = resolve; });
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  // The real chDB store, with an insert that takes as long as the test says (a slow ClickHouse).
  const slow: AnalyticsStore = { ...analytics, insert: async (table, rows) => {
    inserting();
    await released;
    await analytics.insert(table, rows);
  } };
  const batch = applyAnalyticsPartitionBatch(slow, db.pool, clickHouseAnalytics, 'events', 0, [{ offset: '0', event: event! }]);
  try {
    await started;
    const second = await record(store);
    const readable = await store.readAll(first.position, { limit: 10 });
    assert.equal(readable.map((e) => e.position), [second.position], 'the watermark passed the event appended during the insert');
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()`);
    assert.is(rows[0].n, 0, 'no transaction with an id is open');
  } finally {
    release();
  }
  assert.equal(await batch, { nextOffset: 1, position: event!.position });
  assert.is(await activityRows(analytics), 1);
});

test('a batch past the stored offset is refused before anything is written; a redelivered one counts once', async ({ db, store, analytics }) => {
  const events = await store.readAll(0, { limit: 10 });
  const late = events.map((event, index) => ({ offset: String(index + 5), event }));
  const error = await applyAnalyticsPartitionBatch(analytics, db.pool, clickHouseAnalytics, 'events', 1, late).catch((e) => e);
  assert.instance(error, OffsetGapError);
  assert.is((error as OffsetGapError).storedOffset, 0);
  const messages = events.map((event, index) => ({ offset: String(index), event }));
  await applyAnalyticsPartitionBatch(analytics, db.pool, clickHouseAnalytics, 'events', 1, messages);
  await db.pool.query("UPDATE projection_partition_offsets SET next_offset = 0, position = 0 WHERE partition = 1");
  await applyAnalyticsPartitionBatch(analytics, db.pool, clickHouseAnalytics, 'events', 1, messages);
  assert.is(await activityRows(analytics), events.length);
});

test.run();
