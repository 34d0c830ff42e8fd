import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { createTestDatabase } from '../postgres/test-database';
import { eventStoreContract } from './event-store-contract';
import { WrongExpectedRevisionError } from './port';
import { createPostgresEventStore } from './postgres-event-store';

let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;

const test = eventStoreContract('PostgreSQL', async () => {
  database = await createTestDatabase();
  return { store: createPostgresEventStore(database.pool), close: () => database!.drop() };
});

test('events are immutable: the database refuses UPDATE, DELETE and TRUNCATE', async ({ store }) => {
  const tenantId = uuidv7();
  await store.append(`tenant-${tenantId}`, [{
    eventId: uuidv7(), type: 'TenantCreated', schemaVersion: 1, tenantId, occurredAt: '2026-01-01T00:00:00.000Z',
    actor: { system: 'test' }, correlationId: uuidv7(), causationId: uuidv7(),
    data: { tenantId, name: 'x', subdomain: 'x', plan: 'free' },
  }], 'no-stream');
  for (const sql of ["UPDATE events SET type = 'X'", 'DELETE FROM events', 'TRUNCATE events']) {
    try {
      await database!.pool.query(sql);
      assert.unreachable(`${sql} must be refused`);
    } catch (error) {
      assert.match((error as Error).message, 'immutable');
    }
  }
  assert.is((await store.readStream(`tenant-${tenantId}`)).length, 1);
});

test('two stores (as two processes) grouping appends to the same streams: one writer per stream and revision wins, the other is refused alone', async () => {
  const [first, second] = [createPostgresEventStore(database!.pool), createPostgresEventStore(database!.pool)];
  const tenantId = uuidv7();
  const event = (n: number) => ({
    eventId: uuidv7(), type: 'ActivityRecorded', schemaVersion: 1, tenantId, occurredAt: '2026-01-01T00:00:00.000Z',
    actor: { system: 'test' }, correlationId: uuidv7(), causationId: uuidv7(), data: { n },
  });
  const streams = Array.from({ length: 40 }, () => `activity-${tenantId}_${uuidv7()}`);
  await Promise.all(streams.map((id) => first.append(id, [event(0)], 'no-stream')));
  const outcomes = await Promise.allSettled(streams.flatMap((id, n) => [first, second].map((store) => store.append(id, [event(n), event(n)], 0))));
  for (const [n, id] of streams.entries()) {
    const pair = outcomes.slice(2 * n, 2 * n + 2);
    assert.is(pair.filter((o) => o.status === 'fulfilled').length, 1, `exactly one writer of ${id} wins`);
    const refused = pair.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    assert.instance(refused.reason, WrongExpectedRevisionError);
    assert.is((await first.readStream(id)).length, 3);
  }
});

test.run();
