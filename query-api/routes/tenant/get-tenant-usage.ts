import { sql } from 'kysely';
import { z } from 'zod';
import type { Role } from '../../../infra/auth/jwt';
import type { QueryApiDependencies } from '../../dependencies';
import type { QueryRouteSpec } from '../../query-route';
import { withTenant } from '../../tenant-scope';
import { isoDate, resolveRange, todayOf } from '../../date-range';

const usageQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });
type UsageQuery = z.infer<typeof usageQuery>;

/** The metered seats are the tenant's billing record: its billing readers see them, staff do not. */
const usageReaders: readonly Role[] = ['owner', 'admin', 'auditor'];
const defaultDays = 30;
/** A year after `from`, leap day included (366 days): the most one request may cover. */
const maxDaysAfterFrom = 365;

/** The member seats metered each day (written by the scheduler), and when Stripe took each report. */
export function getTenantUsageRoute(deps: QueryApiDependencies): QueryRouteSpec<UsageQuery, object> {
  return {
    url: '/v1/tenant/usage', summary: 'Member seats metered per day, and when each day was reported to Stripe (default: the last 30 days)',
    roles: usageReaders, query: usageQuery, params: z.object({}),
    response: z.object({ days: z.array(z.object({ date: z.string(), memberSeats: z.number().int(), reportedAt: z.string().nullable() })) }),
    handle: async ({ query, principal }) => {
      const { from, to } = resolveRange(query, todayOf(deps.now), defaultDays, maxDaysAfterFrom);
      const rows = await withTenant(deps.db, principal.tenantId, (trx) => trx.selectFrom('tenant_usage_days')
        .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('date'), 'member_seats', 'reported_at'])
        .where('tenant_id', '=', principal.tenantId)
        .where(sql<boolean>`day BETWEEN ${from}::date AND ${to}::date`)
        .orderBy('day').execute());
      return {
        days: rows.map((row) => ({ date: row.date, memberSeats: row.member_seats, reportedAt: row.reported_at?.toISOString() ?? null })),
      };
    },
  };
}
