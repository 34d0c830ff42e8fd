import type { Pool } from 'pg';
import { sqlInteger, tenantScopeStatement } from './tenant-scope';

type Lookup = { tenantId: string; position: number; found: (streamId: string | undefined) => void; failed: (error: unknown) => void };

export type TenantPositionsOptions = {
  /** Answers remembered (an event never changes); the oldest is forgotten first. */
  rememberAtMost?: number;
  /** Positions one round trip asks for at most; the rest go in the next one. */
  batchAtMost?: number;
};

/**
 * Which of the tenant's streams holds the event at a position, for X-Consistency-Position: a
 * position that is not one of the tenant's events (another tenant's, none, beyond the log's head)
 * has none. Every read-your-writes request asks, so the lookups are gathered: one round trip at a
 * time asks for every position requested meanwhile, whatever their tenants. Under load a request
 * per round trip was what held the pool (two round trips per read, one of them this lookup, on a
 * CPU-starved process: the pool's queue, not the projections, made the seconds of wait); alone, a
 * lookup goes at once. Each tenant's positions are read after that tenant is set for row-level
 * security, all in one implicit transaction (the setting is local to it). Answers are remembered.
 */
export function createTenantPositions(pool: Pick<Pool, 'query'>, options: TenantPositionsOptions = {}) {
  const { rememberAtMost = 10_000, batchAtMost = 500 } = options;
  const known = new Map<string, string>();
  let queued: Lookup[] = [];
  let sending = false;

  const remember = (key: string, streamId: string) => {
    if (known.size >= rememberAtMost) known.delete(known.keys().next().value!);
    known.set(key, streamId);
  };

  // One round trip in flight at most: what is asked meanwhile waits for it, and goes in the next.
  const send = async () => {
    sending = true;
    while (queued.length > 0) {
      const batch = queued.slice(0, batchAtMost);
      queued = queued.slice(batch.length);
      try {
        const found = await lookUp(pool, batch);
        for (const lookup of batch) {
          const streamId = found.get(keyOf(lookup.tenantId, lookup.position));
          // Not remembered when absent: a refusal must cost the caller, not our memory.
          if (streamId !== undefined) remember(keyOf(lookup.tenantId, lookup.position), streamId);
          lookup.found(streamId);
        }
      } catch (error) {
        for (const lookup of batch) lookup.failed(error);
      }
    }
    sending = false;
  };

  return {
    async streamOf(tenantId: string, position: number): Promise<string | undefined> {
      if (!Number.isSafeInteger(position) || position < 0) return undefined;
      const cached = known.get(keyOf(tenantId, position));
      if (cached !== undefined) return cached;
      tenantScopeStatement(tenantId); // a bad tenant id throws here, for this caller only
      return new Promise((found, failed) => {
        queued.push({ tenantId, position, found, failed });
        // The requests of this turn of the event loop travel together.
        if (!sending) {
          sending = true;
          setImmediate(() => void send());
        }
      });
    },
  };
}

export type TenantPositions = ReturnType<typeof createTenantPositions>;

const keyOf = (tenantId: string, position: number) => `${tenantId}/${position}`;

/** One round trip: per tenant, its scope then its positions among the events; stream ids by key. */
async function lookUp(pool: Pick<Pool, 'query'>, batch: Lookup[]) {
  const byTenant = new Map<string, Set<number>>();
  for (const { tenantId, position } of batch) byTenant.set(tenantId, (byTenant.get(tenantId) ?? new Set()).add(position));
  const tenants = [...byTenant.keys()];
  const statements = tenants.flatMap((tenantId) => [
    tenantScopeStatement(tenantId),
    `SELECT position, stream_id FROM events WHERE tenant_id = '${tenantId}' AND position IN (${[...byTenant.get(tenantId)!].map(sqlInteger).join(', ')})`,
  ]);
  const results = await pool.query(statements.join('; ')) as unknown as { rows: { position: string; stream_id: string }[] }[];
  const found = new Map<string, string>();
  tenants.forEach((tenantId, n) => {
    for (const row of results[2 * n + 1]!.rows) found.set(keyOf(tenantId, Number(row.position)), row.stream_id);
  });
  return found;
}
