import type { Pool } from 'pg';
import { scopedQuery } from './tenant-scope';

/** A tenant's analytics data version: it changes exactly when the tenant's ClickHouse rows do. */
export type AnalyticsVersions = { versionOf: (tenantId: string) => Promise<number> };

/**
 * The versions the analytics projection moves on with its checkpoint (migration 018), read by
 * primary key in one round trip under the tenant's row-level security. Shared by every query-API
 * process through PostgreSQL. A tenant without a row has had no rows written since the table
 * came: version 0, which its first batch moves to 1.
 */
export function createAnalyticsVersions(pool: Pick<Pool, 'query'>): AnalyticsVersions {
  return {
    async versionOf(tenantId) {
      // The id is inlined: scopedQuery has checked it is a UUID.
      const rows = await scopedQuery<{ version: string }>(pool, tenantId,
        `SELECT version FROM analytics_tenant_versions WHERE tenant_id = '${tenantId}'`);
      return rows[0] ? Number(rows[0].version) : 0;
    },
  };
}
