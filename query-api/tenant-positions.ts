import type { Pool } from 'pg';
import { scopedQuery, sqlInteger } from './tenant-scope';

/**
 * Which of the tenant's streams holds the event at a position, for X-Consistency-Position: a
 * position that is not one of the tenant's events (another tenant's, none, beyond the log's head)
 * has none. Every read-your-writes request asks, so the question costs one round trip: the tenant
 * is set for row-level security and the event looked up by its key in one implicit transaction
 * (the setting is local to it), and the answers are remembered, since an event never changes.
 */
export function createTenantPositions(pool: Pick<Pool, 'query'>, rememberAtMost = 10_000) {
  const known = new Map<string, string>();
  return {
    async streamOf(tenantId: string, position: number): Promise<string | undefined> {
      if (!Number.isSafeInteger(position) || position < 0) return undefined;
      const key = `${tenantId}/${position}`;
      const cached = known.get(key);
      if (cached !== undefined) return cached;
      const rows = await scopedQuery<{ stream_id: string }>(pool, tenantId,
        `SELECT stream_id FROM events WHERE tenant_id = '${tenantId}' AND position = ${sqlInteger(position)}`);
      const streamId = rows[0]?.stream_id;
      if (streamId === undefined) return undefined; // not remembered: a refusal must cost the caller, not our memory
      if (known.size >= rememberAtMost) known.delete(known.keys().next().value!);
      known.set(key, streamId);
      return streamId;
    },
  };
}

export type TenantPositions = ReturnType<typeof createTenantPositions>;
