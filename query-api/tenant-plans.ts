import { planSchema, tenantBilling, type Plan, type Tenant } from '../domain/tenant';
import type { TenantSettingsCache } from '../infra/cache/tenant-settings-cache';
import type { ReadModelDb } from '../infra/read-models/database';
import { withTenant } from './tenant-scope';

/** The plan in force of a tenant, as the query API's rate limit needs it (DESIGN §12). */
export type TenantPlans = { planOf: (tenantId: string) => Promise<Plan> };

/**
 * How long a plan read from rm_tenants is trusted by this process when the cache does not hold
 * the tenant; a plan change reaches this API's rate limit within it.
 */
const freshForMs = 5_000;

/**
 * Plans from the tenant settings cache the command side fills and tenant events invalidate
 * (command-api/tenant-settings-invalidation.ts), exact; on a miss, or without that cache, from
 * rm_tenants, kept `freshForMs` in this process: a tenant that only reads (the command side never
 * refills the cache for it) must not cost every query one more transaction. A tenant not
 * projected yet is limited as on the smallest plan until its row appears (that answer is not kept).
 */
export function createTenantPlans(db: ReadModelDb, clock: () => number = Date.now, cache?: TenantSettingsCache<Tenant>): TenantPlans {
  const known = new Map<string, { plan: Plan; readAtMs: number }>();
  return {
    async planOf(tenantId) {
      const cached = cache ? await cache.get(tenantId) : undefined;
      if (cached) return tenantBilling(cached).plan;
      const entry = known.get(tenantId);
      if (entry && clock() - entry.readAtMs < freshForMs) return entry.plan;
      const row = await withTenant(db, tenantId, (trx) =>
        trx.selectFrom('rm_tenants').select('plan').where('tenant_id', '=', tenantId).executeTakeFirst());
      if (!row) return 'free';
      const plan = planSchema.parse(row.plan);
      known.set(tenantId, { plan, readAtMs: clock() });
      return plan;
    },
  };
}
