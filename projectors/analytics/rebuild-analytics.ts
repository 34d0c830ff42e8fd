import type { Pool } from 'pg';
import type { AnalyticsStore } from '../../infra/analytics/port';
import type { EventEnvelope, EventStore } from '../../infra/event-store/port';
import { advanceEveryTenantVersion, insertRowsByTable, projectRowsByTable, type RowsByTable } from '../runtime/analytics-batch';
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
    let failure: unknown;
    try {
      for (const table of [...factTables, ...rollups.map((r) => r.table)]) await analytics.command(`EXCHANGE TABLES ${table} AND ${aside(table)}`);
      await dropAsideTables(analytics);
      // Everything the live projection may have written to the old tables since it stood at
      // `liveCheckpoint`, for every tenant: written again into the new ones (counted once).
      const caughtUp = await project({ ...options, tenantId: undefined, onProgress: undefined, signal: undefined }, Math.min(liveCheckpoint, head), await store.headPosition(), (t) => t);
      return { events: written, caughtUpEvents: caughtUp, head, seconds: (Date.now() - started) / 1000 };
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      // Once a table may have been exchanged, answers cached from the old tables (or from the new
      // ones before the catch-up) stop being served, also when what followed the exchange failed.
      await advanceEveryTenantVersion(pool).catch(() => advanceEveryTenantVersion(pool)).catch((bumpFailure: unknown) => {
        throw new AggregateError(failure === undefined ? [bumpFailure] : [failure, bumpFailure],
          'the analytics versions were not moved on after the tables were exchanged: answers cached before may still be served');
      });
    }
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
 * Projects the log's events in (after, upTo] into the tables `tableName` gives. Events are read
 * in pages of `readSize` (the next page read while the current one is projected: envelopes die
 * young, which keeps garbage collection cheap) and their rows written every `batchSize` events
 * (large inserts: few ClickHouse parts), each insert overlapping the reading of the next batch.
 */
async function project(options: RebuildOptions, after: number, upTo: number, tableName: (table: string) => string) {
  const batchSize = options.batchSize ?? 100_000;
  const readSize = Math.min(batchSize, 10_000);
  const read = (from: number) => settleLater(options.events.readAll(from, { limit: readSize, tenantId: options.tenantId }));
  const writer = createBatchWriter(options.analytics, tableName, (position, events) => options.onProgress?.(position, upTo, events));
  let pending: RowsByTable = new Map();
  let pendingEvents = 0;
  let last = after;
  try {
    let next = read(after);
    for (;;) {
      options.signal?.throwIfAborted();
      const page = (await next).filter((event) => event.position <= upTo);
      if (page.length === 0) break;
      last = page.at(-1)!.position;
      next = last < upTo ? read(last) : Promise.resolve([]);
      projectRowsByTable(page, clickHouseAnalytics, pending);
      pendingEvents += page.length;
      if (pendingEvents >= batchSize) {
        await writer.write(pending, pendingEvents, last);
        [pending, pendingEvents] = [new Map(), 0];
      }
    }
    if (pendingEvents > 0) await writer.write(pending, pendingEvents, last);
    return await writer.finish();
  } finally {
    // Never leave an insert running: the caller may close the store next (chDB would abort).
    await writer.finish().catch(() => undefined);
  }
}

/**
 * Writes batches one at a time in the background: `write` waits for the previous insert, then
 * starts this one and returns; `finish` waits for the last and gives the events written.
 */
function createBatchWriter(analytics: AnalyticsStore, tableName: (table: string) => string, onWritten: (position: number, events: number) => void) {
  let inserting: Promise<void> = Promise.resolve();
  let written = 0;
  return {
    async write(rows: RowsByTable, events: number, position: number) {
      await inserting;
      inserting = settleLater(insertRowsByTable(analytics, rows, tableName).then(() => {
        written += events;
        onWritten(position, written);
      }));
    },
    finish: async () => {
      await inserting;
      return written;
    },
  };
}

/** A promise awaited later: its failure is raised there, not reported as unhandled meanwhile. */
function settleLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
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
