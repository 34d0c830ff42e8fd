import type { Pool } from 'pg';
import { eventDefinitions } from '../../domain/event-definitions';
import { guardEventStore } from '../../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../../infra/event-store/postgres-event-store';
import { createTestDatabase } from '../../infra/postgres/test-database';
import { readCheckpoint } from '../../projectors/runtime/checkpointed-batch';
import { startLogTail } from '../../projectors/runtime/log-tail';
import { postgresReadModels } from '../../projectors/read-models';

/** Every read-model table with its key: compared row for row, every column. */
const readModelTables = {
  rm_tenants: 'tenant_id',
  rm_membership_types: 'tenant_id, membership_type_id',
  rm_members: 'tenant_id, member_id',
  rm_member_counts: 'tenant_id, status',
  rm_member_activity: 'tenant_id, member_id',
} as const;

export type ReadModelDump = Record<keyof typeof readModelTables, string[]>;

export async function dumpReadModels(pool: Pool): Promise<ReadModelDump> {
  const dump = {} as ReadModelDump;
  for (const [table, key] of Object.entries(readModelTables) as [keyof typeof readModelTables, string][]) {
    const { rows } = await pool.query(`SELECT * FROM ${table} ORDER BY ${key}`);
    dump[table] = rows.map((row) => JSON.stringify(row));
  }
  return dump;
}

/**
 * Rebuilds the read models from the event store of `source` into a fresh database, by the
 * in-process projection (no Kafka involved), and returns what it built.
 */
export async function rebuildFromEventStore(source: Pool): Promise<ReadModelDump> {
  const target = await createTestDatabase();
  try {
    const store = guardEventStore(createPostgresEventStore(source), eventDefinitions);
    const head = Number((await source.query('SELECT coalesce(max(position), 0) AS head FROM events')).rows[0].head);
    const tail = startLogTail(store, target.pool, postgresReadModels, { batchSize: 2000 });
    const deadline = Date.now() + 120_000;
    while ((await readCheckpoint(target.pool, postgresReadModels.name)) < head) {
      if (Date.now() > deadline) throw new Error('the rebuild did not reach the head of the log in 120 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await tail.stop();
    return await dumpReadModels(target.pool);
  } finally {
    await target.drop();
  }
}

/** The first rows that differ per table (at most three each), for a readable assertion message. */
export function differences(actual: ReadModelDump, expected: ReadModelDump): string[] {
  const found: string[] = [];
  for (const table of Object.keys(readModelTables) as (keyof typeof readModelTables)[]) {
    const a = actual[table];
    const e = expected[table];
    if (a.length !== e.length) found.push(`${table}: ${a.length} rows, rebuild has ${e.length}`);
    let shown = 0;
    for (let i = 0; i < Math.max(a.length, e.length) && shown < 3; i++) {
      if (a[i] !== e[i]) {
        found.push(`${table} row ${i}: ${a[i]} ≠ rebuild ${e[i]}`);
        shown++;
      }
    }
  }
  return found;
}
