import type { AnalyticsStore } from '../../../infra/analytics/port';
import type { QueryApiDependencies } from '../../dependencies';
import { readMainCurrency } from '../../analytics/revenue-query';
import { withTenant } from '../../tenant-scope';

/**
 * The currency revenue figures are given in when the request names none: the one most of the
 * tenant's subscriptions are in, else that of its first membership type, else none (no revenue).
 */
export async function tenantCurrency(deps: QueryApiDependencies, analytics: AnalyticsStore, tenantId: string): Promise<string | null> {
  const main = await readMainCurrency(analytics, tenantId);
  if (main) return main;
  const firstType = await withTenant(deps.db, tenantId, (trx) => trx.selectFrom('rm_membership_types')
    .select('currency').where('tenant_id', '=', tenantId).orderBy('created_at').limit(1).executeTakeFirst());
  return firstType?.currency ?? null;
}
