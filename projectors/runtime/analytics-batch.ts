import type { Pool } from 'pg';
import type { AnalyticsStore } from '../../infra/analytics/port';
import type { EventEnvelope } from '../../infra/event-store/port';
import type { AnalyticsRow } from '../analytics/project-analytics';
import { readCheckpoint } from './checkpointed-batch';
import { partitionCheckpointSql, unappliedEvents, type PartitionCheckpoint, type PartitionMessage } from './partition-batch';

/** A ClickHouse projection: the fact rows an event contributes. Pure. */
export type AnalyticsProjection = { name: string; project: (event: EventEnvelope) => AnalyticsRow[] };

/**
 * ClickHouse has no transaction to share with the checkpoint (kept in PostgreSQL), so the rows
 * are written first and the checkpoint advanced after: a crash in between writes the batch again
 * on restart, and the tables are built to count it once (event ids in the sort keys, uniqExact in
 * the rollups). One insert per table per batch.
 */
export async function insertAnalyticsRows(
  store: AnalyticsStore, events: EventEnvelope[], projection: AnalyticsProjection, tableName: (table: string) => string = (table) => table,
) {
  await insertRowsByTable(store, projectRowsByTable(events, projection), tableName);
}

export type RowsByTable = Map<string, Record<string, unknown>[]>;

/** The fact rows of `events`, per table, added to `into` if given. */
export function projectRowsByTable(events: EventEnvelope[], projection: AnalyticsProjection, into: RowsByTable = new Map()): RowsByTable {
  for (const event of events) {
    for (const { table, row } of projection.project(event)) {
      const rows = into.get(table) ?? [];
      rows.push(row);
      into.set(table, rows);
    }
  }
  return into;
}

export async function insertRowsByTable(store: AnalyticsStore, byTable: RowsByTable, tableName: (table: string) => string = (table) => table) {
  for (const [table, rows] of byTable) await store.insert(tableName(table), rows);
}

/**
 * Embedded mode: a batch of the global log, checkpointed in projection_checkpoints. `through`
 * (a dead-lettered event's position) moves the checkpoint past events that have no rows to write.
 */
export async function applyAnalyticsBatch(store: AnalyticsStore, pool: Pick<Pool, 'query'>, projection: AnalyticsProjection, events: EventEnvelope[], through = 0) {
  const checkpoint = await readCheckpoint(pool, projection.name);
  const fresh = events.filter((event) => event.position > checkpoint);
  const position = Math.max(fresh.at(-1)?.position ?? 0, through);
  if (position <= checkpoint) return checkpoint;
  await insertAnalyticsRows(store, fresh, projection);
  await pool.query(
    `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2)
     ON CONFLICT (projection) DO UPDATE SET position = greatest(projection_checkpoints.position, excluded.position), updated_at = now()`,
    [projection.name, position]);
  return position;
}

/**
 * Kafka: one partition's batch. No PostgreSQL transaction is open while ClickHouse works: a
 * transaction holding an id holds back the global log's watermark for every reader on the server
 * (publisher, projections), and a ClickHouse insert can take a minute. So the checkpoint is read,
 * the rows written, and the checkpoint advanced, each on its own; two processes handing the
 * partition over may both write a batch, which the tables count once, and the checkpoint only
 * moves forwards.
 */
export async function applyAnalyticsPartitionBatch(
  store: AnalyticsStore, pool: Pick<Pool, 'query'>, projection: AnalyticsProjection, topic: string, partition: number, messages: PartitionMessage[],
): Promise<PartitionCheckpoint> {
  const key = [projection.name, topic, partition];
  let { rows } = await pool.query(partitionCheckpointSql.read, key);
  if (rows.length === 0) {
    await pool.query(partitionCheckpointSql.register, key);
    ({ rows } = await pool.query(partitionCheckpointSql.read, key));
  }
  const stored = { nextOffset: Number(rows[0].next_offset), position: Number(rows[0].position) };
  const { events, nextOffset, position } = unappliedEvents(partition, messages, stored);
  await insertAnalyticsRows(store, events, projection);
  await pool.query(partitionCheckpointSql.advanceForward, [...key, nextOffset, position]);
  return { nextOffset, position };
}
