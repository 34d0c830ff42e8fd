import type { Compilable } from 'kysely';
import type { Pool } from 'pg';
import { sqlLiteral } from '../query-api/prepared-reads';

/**
 * Runs the queries as the query role (a pool connected as it) and counts, in their own
 * transaction, the scans of `index` and the sequential scans of rm_members they made (functions
 * included): how a test asserts that a read is served by an index under row-level security.
 * Each query runs as the route's prepared statement does (prepared-reads.ts): first unprepared,
 * then `preparedRuns` times prepared, past the executions after which PostgreSQL may settle on a
 * generic plan.
 */
export const runsPerQuery = 7;
const preparedRuns = runsPerQuery - 1;

export async function scansOf(queryPool: Pool, tenantId: string, queries: Compilable<unknown>[], index: string) {
  const client = await queryPool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    for (const [i, query] of queries.map((q) => q.compile()).entries()) {
      await client.query(query.sql, query.parameters as unknown[]);
      await client.query(`PREPARE scanned_${i} AS ${query.sql}`);
      const execute = `EXECUTE scanned_${i}${query.parameters.length ? `(${query.parameters.map(sqlLiteral).join(', ')})` : ''}`;
      for (let run = 0; run < preparedRuns; run += 1) await client.query(execute);
      await client.query(`DEALLOCATE scanned_${i}`);
    }
    const counted = await client.query(`SELECT pg_stat_get_xact_numscans($1::regclass) AS index_scans,
      pg_stat_get_xact_numscans('rm_members'::regclass) AS table_scans`, [index]);
    await client.query('ROLLBACK');
    return counted.rows[0] as { index_scans: number; table_scans: number };
  } finally {
    client.release();
  }
}
