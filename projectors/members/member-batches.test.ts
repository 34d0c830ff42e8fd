import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { createTestDatabase, type TestDatabase } from '../../infra/postgres/test-database';
import type { BatchedKind } from '../runtime/projection';
import { statusChanges } from './member-batches';
import { memberChanges } from './member-changes';

const test = suite<{ db: TestDatabase; members: { tenant_id: string; member_id: string }[] }>(
  'member batches: a small batch finds its members by key, not by reading rm_members whole');

// Of the size at which the planner, told nothing of the batch's row count, preferred a full scan.
const tenants = Array.from({ length: 10 }, () => uuidv7());
const memberCount = 15_000;

test.before(async (context) => {
  context.db = await createTestDatabase();
  const { rows } = await context.db.pool.query(
    `INSERT INTO rm_members (tenant_id, member_id, email, first_name, last_name, status, created_at, updated_at, revision)
     SELECT ($1::uuid[])[1 + n % 10], gen_random_uuid(), 'm' || n || '@example.org', 'F', 'L', 'active', now(), now(), 0
     FROM generate_series(1, $2) AS n RETURNING tenant_id, member_id`, [tenants, memberCount]);
  context.members = rows;
  await context.db.pool.query('ANALYZE rm_members');
});
test.after(async ({ db }) => db.drop());

/** Runs a batch's statement in a transaction rolled back, with the sequential scans of rm_members it made. */
async function run(db: TestDatabase, kind: BatchedKind, rows: Record<string, unknown>[]) {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    // The counter also holds this backend's scans not yet flushed to the statistics (the
    // migrations', a moment ago): only its change across the statement is the statement's.
    const scans = async () => Number((await client.query(`SELECT pg_stat_get_xact_numscans('rm_members'::regclass) AS n`)).rows[0].n);
    const before = await scans();
    const statement = kind.build(rows);
    const { rowCount } = await client.query(statement.text, statement.values);
    return { rowCount, sequentialScans: await scans() - before };
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

test('five members\' live-update rows take their status from rm_members by key', async ({ db, members }) => {
  const rows = members.slice(0, 5).map((m, k) => ({ ...m, position: 1_000 + k, status: null, revision: 1 }));
  assert.equal(await run(db, memberChanges, rows), { rowCount: 5, sequentialScans: 0 });
});

test('five members\' status changes update them by key', async ({ db, members }) => {
  const rows = members.slice(0, 5).map((m) => ({ ...m, status: 'suspended', revision: 1, occurred_at: '2026-03-01T10:00:00.000Z' }));
  assert.equal(await run(db, statusChanges, rows), { rowCount: 5, sequentialScans: 0 });
});

test.run();
