import type { Pool } from 'pg';
import { groupAppends } from './grouped-append';
import { maxEventsPerTransaction, watermarkSql as watermark } from './log-positions';
import type { EventEnvelope, EventStore } from './port';
import { isoInstantOfUtcText, utcInstantSql } from '../postgres/utc-instant';

// Instants leave PostgreSQL as UTC text (utc-instant.ts): parsing each into a Date and formatting
// it again cost a rebuild a tenth of its time.
const columns = `position, event_id, stream_id, stream_revision, tenant_id, type, schema_version, data,
  metadata, ${utcInstantSql('occurred_at')} AS occurred_at, ${utcInstantSql('recorded_at')} AS recorded_at`;

// Prepared (named), as the appends are: the most frequent statements, planned once per connection.
const readStreamSql = `SELECT ${columns} FROM events WHERE stream_id = $1 ORDER BY stream_revision`;


export function createPostgresEventStore(pool: Pool): EventStore {
  // Concurrent appends to different streams commit together (grouped-append.ts).
  const append = groupAppends(pool);
  return {
    async append(streamId, events, expected) {
      if (events.length === 0) throw new Error('Nothing to append');
      if (events.length > maxEventsPerTransaction) throw new Error(`At most ${maxEventsPerTransaction} events per append`);
      return append({ streamId, events, expected });
    },

    async readStream(streamId) {
      const { rows } = await pool.query({ name: 'events-read-stream', text: readStreamSql, values: [streamId] });
      return rows.map(toEnvelope);
    },

    async readAll(afterPosition, { tenantId, limit }) {
      // The next `limit` events in log order, then those below the watermark: a prefix, so
      // nothing is skipped. Bounding by the watermark inside the ordered scan instead lets the
      // planner, which cannot estimate that bound, choose to sort everything after
      // `afterPosition` (on a catch-up of a million events, a sort spilling to disk per batch).
      const { rows } = tenantId
        ? await pool.query(
            `SELECT * FROM (SELECT ${columns} FROM events WHERE tenant_id = $1 AND position > $2
               ORDER BY tenant_id, position LIMIT $3) AS next WHERE position < ${watermark} ORDER BY position`,
            [tenantId, afterPosition, limit])
        : await pool.query(
            `SELECT * FROM (SELECT ${columns} FROM events WHERE position > $1 ORDER BY position LIMIT $2) AS next
             WHERE position < ${watermark} ORDER BY position`, [afterPosition, limit]);
      return rows.map(toEnvelope);
    },

    async existingStreams(streamIds) {
      const { rows } = await pool.query(
        'SELECT stream_id FROM events WHERE stream_id = ANY($1::text[]) AND stream_revision = 0', [streamIds]);
      return new Set(rows.map((row) => row.stream_id as string));
    },

    async headPosition() {
      const { rows } = await pool.query(`SELECT coalesce(max(position), 0) AS head FROM events WHERE position < ${watermark}`);
      return Number(rows[0].head);
    },
  };
}

type EventRow = {
  position: string; event_id: string; stream_id: string; stream_revision: number; tenant_id: string; type: string;
  schema_version: number; data: unknown; metadata: Pick<EventEnvelope, 'actor' | 'correlationId' | 'causationId' | 'idempotencyKey'>;
  /** UTC text (utc-instant.ts) from this store's reads; Dates from a query builder's (the audit route). */
  occurred_at: Date | string; recorded_at: Date | string;
};

export function toEnvelope(row: EventRow): EventEnvelope {
  const { actor, correlationId, causationId, idempotencyKey } = row.metadata;
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamRevision: row.stream_revision,
    position: Number(row.position),
    tenantId: row.tenant_id,
    occurredAt: typeof row.occurred_at === 'string' ? isoInstantOfUtcText(row.occurred_at) : row.occurred_at.toISOString(),
    recordedAt: typeof row.recorded_at === 'string' ? isoInstantOfUtcText(row.recorded_at) : row.recorded_at.toISOString(),
    actor,
    correlationId,
    causationId,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    data: row.data,
  };
}
