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

/** Embedded mode: a batch of the global log, checkpointed in projection_checkpoints. */
export async function applyAnalyticsBatch(store: AnalyticsStore, pool: Pool, projection: AnalyticsProjection, events: EventEnvelope[]) {
  const checkpoint = await readCheckpoint(pool, projection.name);
  const fresh = events.filter((event) => event.position > checkpoint);
  if (fresh.length === 0) return checkpoint;
  await insertAnalyticsRows(store, fresh, projection);
  const position = fresh.at(-1)!.position;
  await pool.query(
    `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2)
     ON CONFLICT (projection) DO UPDATE SET position = greatest(projection_checkpoints.position, excluded.position), updated_at = now()`,
    [projection.name, position]);
  return position;
}

/**
 * Kafka: one partition's batch. The partition's checkpoint row is locked for the duration, so two
 * processes of the group handing a partition over never write it at once.
 */
export async function applyAnalyticsPartitionBatch(
  store: AnalyticsStore, pool: Pool, projection: AnalyticsProjection, topic: string, partition: number, messages: PartitionMessage[],
): Promise<PartitionCheckpoint> {
  const client = await pool.connect();
  const key = [projection.name, topic, partition];
  try {
    await client.query('BEGIN');
    await client.query(partitionCheckpointSql.register, key);
    const { rows } = await client.query(partitionCheckpointSql.lock, key);
    const { events, nextOffset, position } = unappliedEvents(messages, { nextOffset: Number(rows[0].next_offset), position: Number(rows[0].position) });
    await insertAnalyticsRows(store, events, projection);
    await client.query(partitionCheckpointSql.advance, [...key, nextOffset, position]);
    await client.query('COMMIT');
    return { nextOffset, position };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
