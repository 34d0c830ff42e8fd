import type { Pool } from 'pg';
import { isUniqueViolation, toActualRevision, toColumns, toExpectedRevision } from './event-columns';
import { firstPositionOfThisTransaction } from './log-positions';
import { WrongExpectedRevisionError, type AppendResult, type ExpectedRevision, type NewEvent } from './port';

// One statement, so one round trip and one implicit transaction: it reads the stream's head,
// inserts only if the expectation holds, and the (stream_id, stream_revision) unique constraint
// turns a concurrent writer's success into our failure.
const appendSql = `
WITH head AS (SELECT coalesce(max(stream_revision), -1) AS revision FROM events WHERE stream_id = $1)
INSERT INTO events (position, event_id, stream_id, stream_revision, tenant_id, type, schema_version,
                    data, metadata, occurred_at)
SELECT ${firstPositionOfThisTransaction} + e.ordinal - 1, e.event_id, $1,
       head.revision + e.ordinal, e.tenant_id, e.type, e.schema_version, e.data, e.metadata, e.occurred_at
FROM head, unnest($2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::timestamptz[])
       WITH ORDINALITY AS e(event_id, tenant_id, type, schema_version, data, metadata, occurred_at, ordinal)
WHERE $9::int IS NULL OR head.revision = $9::int
RETURNING position, stream_revision`;

/** One append in its own transaction (the path of a lone append, and the grouped path's fallback). */
export async function appendAlone(pool: Pick<Pool, 'query'>, streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
  try {
    // Prepared once per connection: planning the statement cost about as much as running it.
    const { rows } = await pool.query({ name: 'events-append', text: appendSql, values: [streamId, ...toColumns(events), toExpectedRevision(expected)] });
    if (rows.length === 0) throw await wrongRevision(pool, streamId, expected);
    const last = rows.reduce((a, b) => (Number(b.position) > Number(a.position) ? b : a));
    return { nextExpectedRevision: last.stream_revision, position: Number(last.position) };
  } catch (error) {
    if (isUniqueViolation(error, 'events_stream_revision_unique')) throw await wrongRevision(pool, streamId, expected);
    throw error;
  }
}

async function wrongRevision(pool: Pick<Pool, 'query'>, streamId: string, expected: ExpectedRevision) {
  const { rows } = await pool.query('SELECT coalesce(max(stream_revision), -1) AS revision FROM events WHERE stream_id = $1', [streamId]);
  return new WrongExpectedRevisionError(streamId, expected, toActualRevision(Number(rows[0].revision)));
}
