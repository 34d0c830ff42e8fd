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
  const changed = changedTenants(fresh, projection);
  await pool.query(advancingTenantVersions(
    `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2)
     ON CONFLICT (projection) DO UPDATE SET position = greatest(projection_checkpoints.position, excluded.position), updated_at = now()`, 3),
  [projection.name, position, changed.tenants, changed.positions]);
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
  const changed = changedTenants(events, projection);
  await pool.query(advancingTenantVersions(partitionCheckpointSql.advanceForward, 6), [...key, nextOffset, position, changed.tenants, changed.positions]);
  if (position > stored.position) await pool.query(partitionCheckpointSql.notify, [...key, position]);
  return { nextOffset, position };
}

export type ChangedTenants = { tenants: string[]; positions: number[] };

/**
 * The tenants whose events wrote fact rows, each with its highest position: their analytics data
 * version (migration 018) moves on, so that the query APIs stop serving answers cached before.
 */
export function changedTenants(events: readonly EventEnvelope[], projection: AnalyticsProjection): ChangedTenants {
  const highest = new Map<string, number>();
  for (const event of events) {
    if (projection.project(event).length > 0) highest.set(event.tenantId, Math.max(highest.get(event.tenantId) ?? 0, event.position));
  }
  // In tenant order: the upsert locks each tenant's row in the order given, and two batches (or a
  // batch and a rebuild) locking them in opposite orders would deadlock.
  const tenants = [...highest.keys()].sort();
  return { tenants, positions: tenants.map((tenant) => highest.get(tenant)!) };
}

const versionUpsert = (tenants: string, positions: string) => `INSERT INTO analytics_tenant_versions AS v (tenant_id, version, position)
  SELECT tenant_id, 1, position FROM unnest(${tenants}::uuid[], ${positions}::bigint[]) AS changed(tenant_id, position)
  ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1, position = greatest(v.position, excluded.position), updated_at = now()`;

/**
 * `checkpointSql` and the versions of the tenants in $`from` (uuid[]) and $`from + 1` (bigint[])
 * as one statement, so both commit or neither: a query API that sees the new checkpoint (after
 * an X-Consistency-Position wait) sees the new versions. The rows were written before either.
 */
function advancingTenantVersions(checkpointSql: string, from: number): string {
  return `WITH advanced AS (${checkpointSql}) ${versionUpsert(`$${from}`, `$${from + 1}`)}`;
}

/** Moves on the versions of tenants whose rows were written outside a batch (a dead letter's replay). */
export async function advanceTenantVersions(pool: Pick<Pool, 'query'>, changed: ChangedTenants) {
  if (changed.tenants.length > 0) await pool.query(versionUpsert('$1', '$2'), [changed.tenants, changed.positions]);
}

/**
 * After a rebuild has swapped the tables: every tenant's version moves on (the provisioned ones
 * and any with a version), since any tenant's rows may read differently from the new tables.
 */
export async function advanceEveryTenantVersion(pool: Pick<Pool, 'query'>) {
  await pool.query(`INSERT INTO analytics_tenant_versions AS v (tenant_id, version, position)
    SELECT tenant_id, 1, 0 FROM (SELECT tenant_id FROM rm_tenants UNION SELECT tenant_id FROM analytics_tenant_versions) AS known
    ORDER BY tenant_id
    ON CONFLICT (tenant_id) DO UPDATE SET version = v.version + 1, updated_at = now()`);
}
