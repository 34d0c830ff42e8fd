import type { Pool } from 'pg';

/**
 * How long the live updates' feed (rm_member_changes, migration 016) keeps a change: a client
 * offline longer than this resumes from the oldest change kept (and the console re-reads its list
 * on reconnecting anyway). Without a purge the table would grow by every member change for ever.
 */
export const memberChangeRetentionHours = 24;

/** Deletes changes past their retention, in bounded chunks so no delete holds locks for long; returns the count. */
export async function purgeExpiredMemberChanges(pool: Pick<Pool, 'query'>, now: Date, chunk = 10_000): Promise<number> {
  const before = new Date(now.getTime() - memberChangeRetentionHours * 3600_000).toISOString();
  let purged = 0;
  for (;;) {
    const { rowCount } = await pool.query(`DELETE FROM rm_member_changes WHERE (tenant_id, seq) IN (
      SELECT tenant_id, seq FROM rm_member_changes WHERE applied_at < $1 LIMIT $2)`, [before, chunk]);
    purged += rowCount ?? 0;
    if ((rowCount ?? 0) < chunk) return purged;
  }
}
