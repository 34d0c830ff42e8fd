import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { eventDefinitions } from '../../../domain/event-definitions';
import { guardEventStore } from '../../../infra/event-store/guarded-event-store';
import type { NewEvent } from '../../../infra/event-store/port';
import { createPostgresEventStore } from '../../../infra/event-store/postgres-event-store';

/**
 * The two event stores under the same three operations. Both get the same payload (an activity
 * with an actor, correlation and causation) and a pool of the same size on the same PostgreSQL.
 */
export type Contender = {
  name: 'ours' | 'emmett';
  /** `count` events to a stream that does not exist yet. */
  appendToNewStream(streamId: string, count: number): Promise<void>;
  /** Reads the whole stream, then appends one event expecting the revision it read. */
  readThenAppend(streamId: string): Promise<void>;
  close(): Promise<void>;
};

// Ids other than the event's own come from Node's buffered randomUUID: uuid's v7 draws fresh
// random bytes per call, which took a third of this process's time, a load on both stores alike
// that only blurred the comparison.
const tenantId = uuidv7();
const activity = () => ({ memberId: randomUUID(), activityType: 'login', occurredAt: '2026-01-01T00:00:00.000Z' });
const metadata = () => ({ actor: { system: 'bench' }, correlationId: randomUUID(), causationId: randomUUID() });
const newEvents = (count: number): NewEvent[] => Array.from({ length: count }, () => ({
  eventId: uuidv7(), type: 'ActivityRecorded', schemaVersion: 1, tenantId, occurredAt: '2026-01-01T00:00:00.000Z',
  ...metadata(), data: activity(),
}));

/** Stream ids of a tenant, as the platform names them (the guard checks the tenant). */
export const benchStreamId = () => `activity-${tenantId}_${uuidv7()}`;

/** Our store as the platform composes it: the PostgreSQL adapter behind the schema guard. */
export function ourContender(pool: Pool): Contender {
  const store = guardEventStore(createPostgresEventStore(pool), eventDefinitions);
  return {
    name: 'ours',
    appendToNewStream: async (streamId, count) => void await store.append(streamId, newEvents(count), 'no-stream'),
    readThenAppend: async (streamId) => {
      const events = await store.readStream(streamId);
      await store.append(streamId, newEvents(1), events.length === 0 ? 'no-stream' : events.length - 1);
    },
    close: async () => undefined,
  };
}

export function emmettContender(connectionString: string, pool: Pool): Contender {
  const store = getPostgreSQLEventStore(connectionString, { connectionOptions: { pool } });
  const emmettEvents = (count: number) => Array.from({ length: count }, () => ({
    type: 'ActivityRecorded', data: activity(), metadata: metadata(),
  }));
  return {
    name: 'emmett',
    appendToNewStream: async (streamId, count) =>
      void await store.appendToStream(streamId, emmettEvents(count), { expectedStreamVersion: STREAM_DOES_NOT_EXIST }),
    readThenAppend: async (streamId) => {
      const { currentStreamVersion } = await store.readStream(streamId);
      await store.appendToStream(streamId, emmettEvents(1), { expectedStreamVersion: currentStreamVersion });
    },
    close: () => store.close(),
  };
}
