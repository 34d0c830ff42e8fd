import { sql } from 'kysely';
import type { ReadModelDb } from '../../infra/read-models/database';
import { withTenant } from '../tenant-scope';

/** One member change as the stream sends it; `seq` orders a tenant's changes (migration 016). */
export type MemberChange = { seq: number; position: number; memberId: string; status: string; revision: number };

/** Reads of rm_member_changes, each under the tenant's row-level security. */
export function createMemberChangeReader(db: ReadModelDb) {
  return {
    /** The newest seq of the tenant: a new subscriber hears of what comes after. */
    async head(tenantId: string): Promise<number> {
      const row = await withTenant(db, tenantId, (scoped) => scoped.selectFrom('rm_member_changes')
        .select(sql<string | null>`max(seq)`.as('seq')).where('tenant_id', '=', tenantId).executeTakeFirst());
      return Number(row?.seq ?? 0);
    },
    /**
     * Where a client that last saw `position` (Last-Event-ID) resumes: that change's seq; for a
     * position no longer kept (purged) or never sent, the last change before it.
     */
    async seqAfterPosition(tenantId: string, position: number): Promise<number> {
      const row = await withTenant(db, tenantId, (scoped) => scoped.selectNoFrom(sql<string | null>`coalesce(
          (SELECT seq FROM rm_member_changes WHERE tenant_id = ${tenantId} AND position = ${position}),
          (SELECT max(seq) FROM rm_member_changes WHERE tenant_id = ${tenantId} AND position < ${position}), 0)`.as('seq'))
        .executeTakeFirst());
      return Number(row?.seq ?? 0);
    },
    async after(tenantId: string, seq: number, limit: number): Promise<MemberChange[]> {
      const rows = await withTenant(db, tenantId, (scoped) => scoped.selectFrom('rm_member_changes')
        .select(['seq', 'position', 'member_id', 'status', 'revision'])
        .where('tenant_id', '=', tenantId).where(sql<boolean>`seq > ${seq}`).orderBy('seq').limit(limit).execute());
      return rows.map((row) => ({ seq: Number(row.seq), position: Number(row.position), memberId: row.member_id, status: row.status, revision: row.revision }));
    },
  };
}

export type MemberChangeReader = ReturnType<typeof createMemberChangeReader>;
