import type { Pool } from 'pg';

/** Rows one statement deletes: short transactions, so no purge holds the log's watermark back. */
const batchSize = 5_000;

/**
 * Deletes the rows of `table` matching `condition` (which may use `$1`, bound to `at`), a batch per
 * statement, until none is left; returns how many went. Table and condition are our own code's.
 */
export async function deleteInBatches(pool: Pick<Pool, 'query'>, table: string, condition: string, at: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${condition} LIMIT ${batchSize})`, [at.toISOString()]);
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) return deleted;
  }
}
