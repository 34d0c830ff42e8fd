import { sql } from 'kysely';
import { z } from 'zod';
import type { Role } from '../../../infra/auth/jwt';
import { validationProblem } from '../../../infra/http/problem';
import type { QueryApiDependencies } from '../../dependencies';
import type { QueryRouteSpec } from '../../query-route';
import { withTenant } from '../../tenant-scope';
import { todayOf } from '../analytics/analytics-context';
import { isoDate } from '../analytics/date-range';

const usageQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });
type UsageQuery = z.infer<typeof usageQuery>;

/** The metered seats are the tenant's billing record: its billing readers see them, staff do not. */
const usageReaders: readonly Role[] = ['owner', 'admin', 'auditor'];
const defaultDays = 30;
/** A year, leap day included: the most days one request may cover. */
const maxDays = 366;

const dayMs = 86_400_000;
const daysBefore = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) - days * dayMs).toISOString().slice(0, 10);

/** Inclusive UTC days; `to` defaults to today, `from` to `defaultDays` days up to `to`. */
export function resolveUsageRange(query: UsageQuery, today: string) {
  const to = query.to ?? today;
  const from = query.from ?? daysBefore(to, defaultDays - 1);
  if (from > to) throw validationProblem([{ path: 'from', message: '`from` is after `to`' }]);
  if ((Date.parse(to) - Date.parse(from)) / dayMs + 1 > maxDays) {
    throw validationProblem([{ path: query.to === undefined ? 'from' : 'to', message: `the range may cover at most ${maxDays} days` }]);
  }
  return { from, to };
}

/** The member seats metered each day (written by the scheduler), and when Stripe took each report. */
export function getTenantUsageRoute(deps: QueryApiDependencies): QueryRouteSpec<UsageQuery, object> {
  return {
    url: '/v1/tenant/usage', summary: 'Member seats metered per day, and when each day was reported to Stripe (default: the last 30 days)',
    roles: usageReaders, query: usageQuery, params: z.object({}),
    handle: async ({ query, principal }) => {
      const { from, to } = resolveUsageRange(query, todayOf(deps));
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
