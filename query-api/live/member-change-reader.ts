import type { Pool } from 'pg';
import { scopedQuery, sqlInteger } from '../tenant-scope';

/** One member change as the stream sends it; `seq` orders a tenant's changes (migration 016). */
export type MemberChange = { seq: number; position: number; memberId: string; status: string; revision: number };

type Row = { seq: string; position: string; member_id: string; status: string; revision: number };

/**
 * Reads of rm_member_changes under the tenant's row-level security. Every feed reads on every
 * wake-up, so each read is one round trip (scopedQuery).
 */
export function createMemberChangeReader(pool: Pick<Pool, 'query'>) {
  const scoped = (tenantId: string, select: string) => scopedQuery<Row>(pool, tenantId, select);
  const integer = sqlInteger;
  return {
    /** The newest seq of the tenant: a new subscriber hears of what comes after. */
    async head(tenantId: string): Promise<number> {
      const rows = await scoped(tenantId, `SELECT coalesce(max(seq), 0) AS seq FROM rm_member_changes WHERE tenant_id = '${tenantId}'`);
      return Number(rows[0]!.seq);
    },
    /**
     * The seq a client that last saw `position` (Last-Event-ID) resumes after: that change's; for a
     * position no longer kept (purged) or never sent, the last change before it.
     */
    async resumeSeqOf(tenantId: string, position: number): Promise<number> {
      const rows = await scoped(tenantId, `SELECT coalesce(
          (SELECT seq FROM rm_member_changes WHERE tenant_id = '${tenantId}' AND position = ${integer(position)}),
          (SELECT max(seq) FROM rm_member_changes WHERE tenant_id = '${tenantId}' AND position < ${position}), 0) AS seq`);
      return Number(rows[0]!.seq);
    },
    async after(tenantId: string, seq: number, limit: number): Promise<MemberChange[]> {
      const rows = await scoped(tenantId, `SELECT seq, position, member_id, status, revision FROM rm_member_changes
        WHERE tenant_id = '${tenantId}' AND seq > ${integer(seq)} ORDER BY seq LIMIT ${integer(limit)}`);
      return rows.map((row) => ({ seq: Number(row.seq), position: Number(row.position), memberId: row.member_id, status: row.status, revision: row.revision }));
    },
  };
}

export type MemberChangeReader = ReturnType<typeof createMemberChangeReader>;
