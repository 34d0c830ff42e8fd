import type { Pool } from 'pg';

/**
 * Runs the statements as the query role (a pool connected as it) and counts, in their own
 * transaction, the scans of `index` and the sequential scans of rm_members they made (functions
 * included): how a test asserts that a read is served by an index under row-level security.
 */
export async function scansOf(queryPool: Pool, tenantId: string, statements: { sql: string; parameters: readonly unknown[] }[], index: string) {
  const client = await queryPool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    for (const statement of statements) await client.query(statement.sql, statement.parameters as unknown[]);
    const counted = await client.query(`SELECT pg_stat_get_xact_numscans($1::regclass) AS index_scans,
      pg_stat_get_xact_numscans('rm_members'::regclass) AS table_scans`, [index]);
    await client.query('ROLLBACK');
    return counted.rows[0] as { index_scans: number; table_scans: number };
  } finally {
    client.release();
  }
}
