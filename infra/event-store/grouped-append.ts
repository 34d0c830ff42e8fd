import type { Pool } from 'pg';
import { groupStatements } from '../postgres/grouped-statements';
import { metadataOf, toActualRevision, toExpectedRevision } from './event-columns';
import { WrongExpectedRevisionError, type AppendResult, type ExpectedRevision, type NewEvent } from './port';
import { firstPositionOfThisTransaction, maxEventsPerTransaction } from './log-positions';
import { appendAlone } from './single-append';

export type Append = { streamId: string; events: NewEvent[]; expected: ExpectedRevision };
type Outcome = { result: AppendResult } | { error: unknown };

// Many appends in one statement, hence one transaction and one commit. Each append's head is read
// and checked on its own; only the events of appends whose check holds are inserted, and each
// append is answered with its head and, if it went in, its last event. Events of the whole
// statement share the transaction id, so their index over the statement (see log-positions.ts) keeps
// positions distinct and in order.
const groupedAppendSql = `
WITH appends AS (
  SELECT a.n, a.stream_id, a.expected, head.revision
  FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS a(stream_id, expected, n)
  CROSS JOIN LATERAL (SELECT coalesce(max(stream_revision), -1) AS revision FROM events
                      WHERE events.stream_id = a.stream_id) AS head
), inserted AS (
  INSERT INTO events (position, event_id, stream_id, stream_revision, tenant_id, type, schema_version,
                      data, metadata, occurred_at)
  SELECT ${firstPositionOfThisTransaction} + e.i, e.id, a.stream_id, a.revision + e.o, e.tenant,
         e.type, e.v, e.data, e.meta, e.at
  FROM jsonb_to_recordset($3::jsonb)
         AS e(n int, o int, i int, id uuid, tenant uuid, type text, v int, data jsonb, meta jsonb, at timestamptz)
  JOIN appends a ON a.n = e.n
  WHERE a.expected IS NULL OR a.revision = a.expected
  RETURNING stream_id, position, stream_revision
)
SELECT a.n, a.revision AS head, max(i.position) AS position, max(i.stream_revision) AS revision
FROM appends a LEFT JOIN inserted i ON i.stream_id = a.stream_id
GROUP BY a.n, a.revision ORDER BY a.n`;

/**
 * Group commit of appends: while one transaction is in flight, appends queue up and the next
 * statement commits all of them (different streams only; at most maxEventsPerTransaction events), so under
 * concurrency N appends cost about one transaction instead of N. A lone append runs as before.
 * Two lanes have a statement in flight each, so one executes while the other's commit is flushed
 * (four made batches so small that the server's CPU per event tripled); a stream always takes the
 * same lane, so this process never races itself on a stream. Writers elsewhere are still refused
 * by the (stream_id, stream_revision) constraint.
 */
export function groupAppends(pool: Pick<Pool, 'query'>, lanes = 2) {
  const runLane = () => groupStatements(async (appends: Append[]) => {
    const outcomes: Outcome[] = [];
    // A chunk's failure is its own: the chunks before it have committed and are answered so.
    for (const chunk of chunksOf(appends)) {
      outcomes.push(...await appendChunk(pool, chunk).catch((error: unknown) => chunk.map(() => ({ error }))));
    }
    return outcomes;
  });
  const laneRuns = Array.from({ length: lanes }, runLane);
  return async (append: Append): Promise<AppendResult> => {
    const outcome = await laneRuns[laneOf(append.streamId, lanes)]!(append);
    if ('error' in outcome) throw outcome.error;
    return outcome.result;
  };
}

/** FNV-1a over the stream id: spreads streams evenly over the lanes, always the same lane for one. */
function laneOf(streamId: string, lanes: number) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) hash = Math.imul(hash ^ streamId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}

/**
 * Consecutive runs of appends to distinct streams, within the transaction's event budget. A second
 * append to a stream goes to a later statement, so it sees the first one's events as its head.
 */
export function chunksOf(appends: Append[]): Append[][] {
  const chunks: Append[][] = [];
  let streams = new Set<string>();
  let events = 0;
  for (const append of appends) {
    const current = chunks.at(-1);
    if (!current || streams.has(append.streamId) || events + append.events.length > maxEventsPerTransaction) {
      chunks.push([append]);
      streams = new Set([append.streamId]);
      events = append.events.length;
    } else {
      current.push(append);
      streams.add(append.streamId);
      events += append.events.length;
    }
  }
  return chunks;
}

async function appendChunk(pool: Pick<Pool, 'query'>, chunk: Append[]): Promise<Outcome[]> {
  if (chunk.length === 1) return [await settle(appendAlone(pool, chunk[0]!.streamId, chunk[0]!.events, chunk[0]!.expected))];
  try {
    const { rows } = await pool.query({ name: 'events-append-grouped', text: groupedAppendSql, values: parameters(chunk) });
    return chunk.map((append, index) => {
      const row = rows[index]!;
      if (row.position === null) {
        return { error: new WrongExpectedRevisionError(append.streamId, append.expected, toActualRevision(Number(row.head))) };
      }
      return { result: { nextExpectedRevision: Number(row.revision), position: Number(row.position) } };
    });
  } catch (error) {
    // The statement rolled back whole. A writer elsewhere won a race on one of the streams (or
    // a duplicate event id, or a deadlock with another process's statement): each append alone,
    // so only the one concerned fails, with the error it would have had on its own.
    if (!isRetriedAlone(error)) throw error;
    return Promise.all(chunk.map((append) => settle(appendAlone(pool, append.streamId, append.events, append.expected))));
  }
}

// The events go as one JSON document: Node writes it natively, where an array parameter per
// column had every quote of every payload escaped in JavaScript (a tenth of the client's time).
function parameters(chunk: Append[]) {
  let index = 0;
  const events = chunk.flatMap((append, n) => append.events.map((event, offset) => ({
    n: n + 1, o: offset + 1, i: index++, id: event.eventId, tenant: event.tenantId, type: event.type,
    v: event.schemaVersion, data: event.data, meta: metadataOf(event), at: event.occurredAt,
  })));
  return [chunk.map((append) => append.streamId), chunk.map((append) => toExpectedRevision(append.expected)), JSON.stringify(events)];
}

const settle = (promise: Promise<AppendResult>): Promise<Outcome> =>
  promise.then((result) => ({ result }), (error: unknown) => ({ error }));

/** Unique violation or deadlock: the statement changed nothing and each append may succeed alone. */
const isRetriedAlone = (error: unknown) => ['23505', '40P01'].includes((error as { code?: string }).code ?? '');
