import type { Pool } from 'pg';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { countingQueries } from '../infra/postgres/counting-queries';
import { createPool } from '../infra/postgres/pool';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import { createTenantPositions } from './tenant-positions';

type Context = { database: TestDatabase; queryPool: Pool; counted: ReturnType<typeof countingQueries> };
const test = suite<Context>('tenant positions: the lookups of concurrent requests share round trips');

test.before(async (context) => {
  context.database = await createTestDatabase();
  context.queryPool = createPool({ connectionString: context.database.queryUrl, max: 10, applicationName: 'positions-test' });
  // The query role's port, counting the round trips that read the log.
  context.counted = countingQueries(context.queryPool, /FROM events/);
});
test.after(async ({ database, queryPool }) => {
  await queryPool.end();
  await database.drop();
});

/** Appends one event to a new stream of the tenant; returns its position and stream. */
async function append(database: TestDatabase, tenantId: string) {
  const streamId = `member-${tenantId}-${uuidv7()}`;
  const { position } = await createPostgresEventStore(database.pool).append(streamId, [{
    eventId: uuidv7(), type: 'MemberNoted', schemaVersion: 1, tenantId, occurredAt: new Date().toISOString(),
    actor: { system: 'test' }, correlationId: uuidv7(), causationId: uuidv7(), data: {},
  }], 'any');
  return { tenantId, position, streamId };
}

async function eventsOf(database: TestDatabase, tenants: string[], perTenant: number) {
  const events = [];
  for (let n = 0; n < perTenant; n++) for (const tenantId of tenants) events.push(await append(database, tenantId));
  return events;
}

test('many requests at once, of several tenants, cost one round trip, and each gets its own stream or none', async (context) => {
  const tenants = [uuidv7(), uuidv7(), uuidv7()];
  const events = await eventsOf(context.database, tenants, 20);
  const positions = createTenantPositions(context.counted);
  context.counted.count = 0;
  const own = await Promise.all(events.map((event) => positions.streamOf(event.tenantId, event.position)));
  assert.equal(own, events.map((event) => event.streamId));
  // One round trip per request would be 60: the requests of one turn travel together.
  assert.is(context.counted.count, 1, `${context.counted.count} round trips for 60 lookups`);
  // Asked as another tenant, or past the log's head, in the same round trip as valid ones: none.
  const [mine, theirs] = [events[0]!, events[1]!];
  const mixed = await Promise.all([
    positions.streamOf(mine.tenantId, theirs.position), positions.streamOf(theirs.tenantId, mine.position),
    positions.streamOf(mine.tenantId, theirs.position + 1_000_000), positions.streamOf(tenants[2]!, events[2]!.position + 1_000_000),
  ]);
  assert.equal(mixed, [undefined, undefined, undefined, undefined]);
});

test('requests made while a round trip is out go together in the next one; a batch is bounded', async (context) => {
  const tenantId = uuidv7();
  const events = await eventsOf(context.database, [tenantId], 25);
  const positions = createTenantPositions(context.counted, { batchAtMost: 10 });
  context.counted.count = 0;
  const first = positions.streamOf(tenantId, events[0]!.position);
  await new Promise((resolve) => setImmediate(resolve)); // the first round trip is out
  const rest = await Promise.all(events.slice(1).map((event) => positions.streamOf(tenantId, event.position)));
  assert.equal([await first, ...rest], events.map((event) => event.streamId));
  // The first alone, then the 24 others in batches of at most 10.
  assert.is(context.counted.count, 4);
  // Remembered: asked again, no round trip.
  await Promise.all(events.map((event) => positions.streamOf(tenantId, event.position)));
  assert.is(context.counted.count, 4);
});

test('a failed round trip fails the requests it carried, and the next requests are looked up again', async (context) => {
  const tenantId = uuidv7();
  const [event] = await eventsOf(context.database, [tenantId], 1);
  let failing = true;
  const flaky: Pick<Pool, 'query'> = { query: ((text: string, values?: unknown[]) => {
    if (failing) return Promise.reject(new Error('connection lost'));
    return context.queryPool.query(text, values);
  }) as Pool['query'] };
  const positions = createTenantPositions(flaky);
  const failed = await Promise.allSettled([positions.streamOf(tenantId, event!.position), positions.streamOf(tenantId, event!.position)]);
  assert.equal(failed.map((outcome) => outcome.status), ['rejected', 'rejected']);
  failing = false;
  assert.is(await positions.streamOf(tenantId, event!.position), event!.streamId);
});

test.run();
