import Fastify from 'fastify';
import type { Pool } from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { partitionOfKey } from '../infra/bus/kafka/partition-of-key';
import { installLoadShedding } from '../infra/http/load-shedding';
import { HttpProblem, installProblemHandling } from '../infra/http/problem';
import { awaitConsistency } from '../query-api/consistency';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { countingQueries } from '../infra/postgres/counting-queries';
import { createPool } from '../infra/postgres/pool';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import { kafkaPartitionProgress, logCheckpointProgress, readModelProjection } from '../query-api/read-model-progress';
import { createTenantPositions } from '../query-api/tenant-positions';

type Context = { database: TestDatabase; queryPool: Pool; counted: ReturnType<typeof countingQueries> };
const test = suite<Context>('read-your-writes: one follower per process, positions checked, waiters bounded');

test.before(async (context) => {
  context.database = await createTestDatabase();
  context.queryPool = createPool({ connectionString: context.database.queryUrl, max: 10, applicationName: 'rw-test' });
  // The query role's port, counting the readings of the projections' progress.
  context.counted = countingQueries(context.queryPool, /projection_(checkpoints|partition_offsets)/);
});
test.after(async ({ database, queryPool }) => {
  await queryPool.end();
  await database.drop();
});

/** Appends one event to a stream of the tenant and returns its position. */
async function append(database: TestDatabase, tenantId: string, streamId = `member-${tenantId}-${uuidv7()}`) {
  const store = createPostgresEventStore(database.pool);
  const { position } = await store.append(streamId, [{
    eventId: uuidv7(), type: 'MemberNoted', schemaVersion: 1, tenantId, occurredAt: new Date().toISOString(),
    actor: { system: 'test' }, correlationId: uuidv7(), causationId: uuidv7(), data: {},
  }], 'any');
  return { position, streamId };
}

const setCheckpoint = (database: TestDatabase, position: number) => database.pool.query(
  `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2)
   ON CONFLICT (projection) DO UPDATE SET position = excluded.position`, [readModelProjection, position]);

async function problemOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('many waiting requests share one reading per tick, and all wake when the projection passes their positions', async (context) => {
  const { database, counted } = context;
  const tenantId = uuidv7();
  await setCheckpoint(database, 0);
  const positions = [];
  for (let n = 0; n < 60; n++) positions.push((await append(database, tenantId)).position);
  const progress = logCheckpointProgress(counted, createTenantPositions(counted), readModelProjection, { pollMs: 20 });
  context.counted.count = 0;
  let woken = 0;
  const waits = positions.map((position) => progress.waitFor(tenantId, position, 5000).then(() => { woken += 1; }));
  await pause(300);
  assert.is(woken, 0, 'nothing is applied yet');
  assert.is(progress.stats().waiting, 60);
  // Polling on its own, each of the 60 requests would have read ~15 times in 300 ms (900 reads).
  assert.ok(context.counted.count <= 300 / 20 + 2, `${context.counted.count} readings for 60 waiters in 300 ms`);
  await setCheckpoint(database, Math.max(...positions));
  await Promise.all(waits);
  assert.is(woken, 60);
  assert.is(progress.stats().waiting, 0);
  const afterwards = context.counted.count;
  await pause(100);
  assert.is(context.counted.count, afterwards, 'no reading while nobody waits');
});

test('a projection in the same process wakes waiters as it commits, without waiting for the next reading', async ({ database, counted }) => {
  const tenantId = uuidv7();
  await setCheckpoint(database, 0);
  const { position } = await append(database, tenantId);
  const progress = logCheckpointProgress(counted, createTenantPositions(counted), readModelProjection, { pollMs: 60_000 });
  const started = Date.now();
  const waiting = progress.waitFor(tenantId, position, 5000);
  await pause(50);
  progress.applied(position);
  await waiting;
  assert.ok(Date.now() - started < 1000, 'woken by the push, not by a reading a minute later');
  // An earlier push already shows later requests for that position as applied: no wait, no reading.
  await progress.waitFor(tenantId, position, 5000);
});

test('another tenant’s position, a position that is no event, and one beyond the log’s head are 400s, not waits', async ({ database, counted }) => {
  const [mine, other] = [uuidv7(), uuidv7()];
  await setCheckpoint(database, 0);
  const own = await append(database, mine);
  const theirs = await append(database, other);
  const progress = logCheckpointProgress(counted, createTenantPositions(counted), readModelProjection, { pollMs: 5 });
  const kafka = kafkaPartitionProgress(counted, createTenantPositions(counted), 'topic', readModelProjection, { pollMs: 5 });
  for (const check of [progress, kafka]) {
    for (const position of [theirs.position, own.position + 1, theirs.position + 4096 * 1000, Number.MAX_SAFE_INTEGER]) {
      const started = Date.now();
      const refused = await problemOf(check.waitFor(mine, position, 3000));
      assert.equal([refused.status, refused.code, refused.errors?.[0]?.path], [400, 'invalid-consistency-position', 'X-Consistency-Position']);
      assert.ok(Date.now() - started < 1000, 'refused at once');
    }
  }
  await setCheckpoint(database, theirs.position);
  await progress.waitFor(other, theirs.position, 3000);
  await progress.waitFor(mine, 0, 3000);
});

test('the waiters of one tenant are bounded: beyond, 503 consistency-overloaded with Retry-After; other tenants still wait', async ({ database, counted }) => {
  const [busy, calm] = [uuidv7(), uuidv7()];
  await setCheckpoint(database, 0);
  const busyEvent = await append(database, busy);
  const calmEvent = await append(database, calm);
  const progress = logCheckpointProgress(counted, createTenantPositions(counted), readModelProjection, { pollMs: 10, maxWaitersPerTenant: 5 });
  const held = Array.from({ length: 5 }, () => progress.waitFor(busy, busyEvent.position, 5000));
  while (progress.stats().waiting < 5) await pause(5);
  const refused = await problemOf(progress.waitFor(busy, busyEvent.position, 5000));
  assert.equal([refused.status, refused.code, refused.headers['Retry-After']], [503, 'consistency-overloaded', '1']);
  const calmWait = progress.waitFor(calm, calmEvent.position, 5000);
  await setCheckpoint(database, calmEvent.position);
  await Promise.all([...held, calmWait]);
  // Once served, the tenant may wait again.
  await progress.waitFor(busy, busyEvent.position, 5000);
});

test('past the bound, a clear 503 consistency-timeout with Retry-After', async ({ database, counted }) => {
  const tenantId = uuidv7();
  await setCheckpoint(database, 0);
  const { position } = await append(database, tenantId);
  const progress = logCheckpointProgress(counted, createTenantPositions(counted), readModelProjection, { pollMs: 10 });
  const refused = await problemOf(progress.waitFor(tenantId, position, 150));
  assert.equal([refused.status, refused.code, refused.headers['Retry-After']], [503, 'consistency-timeout', '1']);
  assert.is(progress.stats().waiting, 0, 'a waiter that gave up is gone');
});

test('Kafka: a position is applied once the partition its stream travels on has passed it, whatever the others', async ({ database, counted }) => {
  const tenantId = uuidv7();
  const topic = `topic-${uuidv7()}`;
  const partitions = 3;
  await database.pool.query(`INSERT INTO projection_partition_offsets (projection, topic, partition, next_offset, position)
    SELECT $1, $2, p, 0, 0 FROM generate_series(0, $3 - 1) AS p`, [readModelProjection, topic, partitions]);
  const { position, streamId } = await append(database, tenantId);
  const partition = partitionOfKey(streamId, partitions);
  const progress = kafkaPartitionProgress(counted, createTenantPositions(counted), topic, readModelProjection, { pollMs: 5 });
  let woken = false;
  const waiting = progress.waitFor(tenantId, position, 5000).then(() => { woken = true; });
  const advance = (p: number, at: number) => database.pool.query(
    'UPDATE projection_partition_offsets SET position = $4 WHERE projection = $1 AND topic = $2 AND partition = $3', [readModelProjection, topic, p, at]);
  for (let other = 0; other < partitions; other++) if (other !== partition) await advance(other, position + 4096);
  await pause(100);
  assert.is(woken, false, 'other partitions passing the position say nothing of this stream');
  await advance(partition, position);
  await waiting;
});

test('Kafka: a notified progress is only a hint: a forged one reaches nobody, a true one is read at once', async ({ database, counted }) => {
  const tenantId = uuidv7();
  const topic = `topic-${uuidv7()}`;
  await database.pool.query(`INSERT INTO projection_partition_offsets (projection, topic, partition, next_offset, position)
    SELECT $1, $2, p, 0, 0 FROM generate_series(0, 1) AS p`, [readModelProjection, topic]);
  const { position, streamId } = await append(database, tenantId);
  const partition = partitionOfKey(streamId, 2);
  // Readings a minute apart: only a notification makes the follower read again.
  const progress = kafkaPartitionProgress(counted, createTenantPositions(counted), topic, readModelProjection, { pollMs: 60_000 });
  let woken = false;
  const waiting = progress.waitFor(tenantId, position, 5000).then(() => { woken = true; });
  while (progress.stats().reads === 0) await pause(5);
  // Anyone connected may NOTIFY: a payload claiming the partition is far ahead.
  progress.moved(partition, Number.MAX_SAFE_INTEGER);
  await pause(100);
  assert.is(woken, false, 'the table, which only the projectors write, says otherwise');
  await database.pool.query('UPDATE projection_partition_offsets SET position = $4 WHERE projection = $1 AND topic = $2 AND partition = $3',
    [readModelProjection, topic, partition, position]);
  const started = Date.now();
  progress.moved(partition, position);
  await waiting;
  assert.ok(Date.now() - started < 1000, 'read at once, not after the minute');
});

test('the lookup of a position holds the request\'s in-flight place: random positions cannot queue unbounded on the pool', async ({ queryPool }) => {
  // The lookups of the positions are held at the pool, as a busy pool would hold them.
  let open = () => {};
  const gate = new Promise<void>((resolve) => { open = resolve; });
  const held: Pick<Pool, 'query'> = { query: (async (text: string, values?: unknown[]) => {
    if (/FROM events/.test(text)) await gate;
    return queryPool.query(text, values);
  }) as Pool['query'] };
  const progress = logCheckpointProgress(held, createTenantPositions(held));
  const app = Fastify();
  installProblemHandling(app);
  const shedding = installLoadShedding(app, { maxInFlight: 2 });
  const tenantId = uuidv7();
  app.get('/read', async (request) => {
    await awaitConsistency(progress, tenantId, request, 1000);
    return { ok: true };
  });
  const read = (position: number) => app.inject({ method: 'GET', url: '/read', headers: { 'x-consistency-position': String(position) } });
  const looking = [read(900_001), read(900_002)];
  await pause(50);
  try {
    const third = await Promise.race([read(900_003), pause(500).then(() => undefined)]);
    assert.ok(third, 'a third request is refused at once, not queued behind the lookups on the pool');
    assert.equal([third.statusCode, third.json().code], [503, 'overloaded'], 'two lookups in progress fill a bound of two');
    assert.match(shedding.metrics(), 'http_requests_in_flight 2');
    open();
    for (const reply of await Promise.all(looking)) assert.is(reply.json().code, 'invalid-consistency-position');
  } finally {
    open();
    await app.close();
  }
});

test.run();
