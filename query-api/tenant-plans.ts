import { planSchema, type Plan } from '../domain/tenant';
import type { ReadModelDb } from '../infra/read-models/database';
import { withTenant } from './tenant-scope';

/** The plan in force of a tenant, as the query API's rate limit needs it (DESIGN §12). */
export type TenantPlans = { planOf: (tenantId: string) => Promise<Plan> };

/**
 * How long a plan read from rm_tenants is trusted by this process: a plan change reaches this
 * API's rate limit within it. Short, since the read is one indexed row per tenant and per period.
 */
const freshForMs = 5_000;

/**
 * Plans read from rm_tenants, kept briefly per process. A tenant not projected yet is limited as
 * on the smallest plan until its row appears (a new tenant; that answer is not kept).
 */
export function createTenantPlans(db: ReadModelDb, clock: () => number = Date.now): TenantPlans {
  const known = new Map<string, { plan: Plan; readAtMs: number }>();
  return {
    async planOf(tenantId) {
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
