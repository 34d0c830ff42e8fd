import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { createTestDatabase } from '../postgres/test-database';
import { eventStoreContract } from './event-store-contract';
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

test.run();
