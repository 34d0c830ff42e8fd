import type { Pool } from 'pg';
import type { AnalyticsStore } from '../../infra/analytics/port';
import type { EventEnvelope, EventStore } from '../../infra/event-store/port';
import { insertAnalyticsRows } from '../runtime/analytics-batch';
import { clickHouseAnalytics } from './analytics-projection';

/** The tables the analytics projection builds; the rollup is filled by its materialized view. */
const factTables = ['member_facts', 'activity_facts', 'subscription_facts'] as const;
const rollups = [{ table: 'member_activity_daily', view: 'member_activity_daily_mv', source: 'activity_facts' }] as const;
const aside = (table: string) => `${table}__rebuild`;

export type RebuildOptions = {
  events: EventStore;
  /** Where the live projection keeps its checkpoint (PostgreSQL). */
  pool: Pool;
  analytics: AnalyticsStore;
  /** Only this tenant's rows are rebuilt; the others are carried over as they are. */
  tenantId?: string;
  batchSize?: number;
  onProgress?: (position: number, head: number, events: number) => void;
  /** Stops the rebuild between batches (the process is shutting down); leftovers are dropped by the next one. */
  signal?: AbortSignal;
};

/**
 * Rebuilds the ClickHouse tables from the event store without stopping the query API: the new
 * tables are built aside (`<table>__rebuild`, the rollup fed by its own materialized view), then
 * exchanged with the live ones, then the old ones dropped. Reads see the old tables until the
 * exchange, the new ones after.
 *
 * The live projection keeps writing meanwhile (to the old tables). So after the exchange, every
 * event after the live checkpoint taken at the start is written again into the new tables: what
 * the live projection wrote during the rebuild is not lost, and the tables count it once.
 */
export async function rebuildAnalytics(options: RebuildOptions) {
  const { analytics, pool, events: store } = options;
  const lock = await pool.connect();
  try {
    const { rows: [locked] } = await lock.query("SELECT pg_try_advisory_lock(hashtext('rebuild:analytics')) AS ok");
    if (!locked.ok) throw new Error('another analytics rebuild is running');
    const started = Date.now();
    const liveCheckpoint = await liveCheckpointOf(pool, clickHouseAnalytics.name);
    const head = await store.headPosition();
    await prepareAsideTables(analytics, options.tenantId);
    const written = await project(options, 0, head, aside);
    for (const table of [...factTables, ...rollups.map((r) => r.table)]) await analytics.command(`EXCHANGE TABLES ${table} AND ${aside(table)}`);
    await dropAsideTables(analytics);
    // Everything the live projection may have written to the old tables since it stood at
    // `liveCheckpoint`, for every tenant: written again into the new ones (counted once).
    const caughtUp = await project({ ...options, tenantId: undefined, onProgress: undefined, signal: undefined }, Math.min(liveCheckpoint, head), await store.headPosition(), (t) => t);
    return { events: written, caughtUpEvents: caughtUp, head, seconds: (Date.now() - started) / 1000 };
  } finally {
    await lock.query("SELECT pg_advisory_unlock(hashtext('rebuild:analytics'))").catch(() => undefined);
    lock.release();
  }
}

async function prepareAsideTables(analytics: AnalyticsStore, tenantId: string | undefined) {
  await dropAsideTables(analytics);
  for (const table of [...factTables, ...rollups.map((r) => r.table)]) await analytics.command(`CREATE TABLE ${aside(table)} AS ${table}`);
  for (const { view, table, source } of rollups) {
    const [live] = await analytics.query<{ as_select: string }>(
      'SELECT as_select FROM system.tables WHERE database = currentDatabase() AND name = {view:String}', { view });
    if (!live) throw new Error(`materialized view ${view} is missing: run the analytics migrations`);
    const select = live.as_select.replace(new RegExp(`\\b(\\w+\\.)?${source}\\b`, 'g'), aside(source));
    await analytics.command(`CREATE MATERIALIZED VIEW ${aside(view)} TO ${aside(table)} AS ${select}`);
  }
  // A one-tenant rebuild starts from everyone else's facts; the rollup follows through its view.
  if (tenantId) {
    for (const table of factTables) {
      await analytics.command(`INSERT INTO ${aside(table)} SELECT * FROM ${table} WHERE tenant_id != {tenant:UUID}`, { tenant: tenantId });
    }
  }
}

async function dropAsideTables(analytics: AnalyticsStore) {
  for (const { view } of rollups) await analytics.command(`DROP TABLE IF EXISTS ${aside(view)}`);
  for (const table of [...factTables, ...rollups.map((r) => r.table)]) await analytics.command(`DROP TABLE IF EXISTS ${aside(table)}`);
}

/**
 * Projects the log's events in (after, upTo] into the tables `tableName` gives, in large batches,
 * reading the next batch while the current one is written.
 */
async function project(options: RebuildOptions, after: number, upTo: number, tableName: (table: string) => string) {
  const limit = options.batchSize ?? 100_000;
  const read = (from: number) => options.events.readAll(from, { limit, tenantId: options.tenantId });
  let written = 0;
  let next: Promise<EventEnvelope[]> = read(after);
  for (;;) {
    options.signal?.throwIfAborted();
    const batch = (await next).filter((event) => event.position <= upTo);
    if (batch.length === 0) break;
    const last = batch.at(-1)!.position;
    next = last < upTo ? read(last) : Promise.resolve([]);
    await insertAnalyticsRows(options.analytics, batch, clickHouseAnalytics, tableName);
    written += batch.length;
    options.onProgress?.(last, upTo, written);
  }
  return written;
}

/**
 * Everything at or below this position is in the live tables: the embedded checkpoint, or on
 * Kafka the lowest of the partitions' (each partition has applied all its events up to its own).
 */
async function liveCheckpointOf(pool: Pool, projection: string) {
  const { rows } = await pool.query(`SELECT min(position) AS position FROM (
    SELECT position FROM projection_checkpoints WHERE projection = $1
    UNION ALL SELECT position FROM projection_partition_offsets WHERE projection = $1) AS checkpoints`, [projection]);
  return Number(rows[0]?.position ?? 0);
}
