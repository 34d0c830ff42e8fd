import { z } from 'zod';
import { readRevenue } from '../../analytics/revenue-query';
import type { QueryApiDependencies } from '../../dependencies';
import { readerRoles, type QueryRouteSpec } from '../../query-route';
import { analyticsRefusals, requireAnalytics } from './analytics-context';
import { dateRangeQuery, resolveRange, todayOf } from '../../date-range';
import { tenantCurrency } from './tenant-currency';

const revenueQuery = dateRangeQuery({ currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code, e.g. EUR').optional() });

const cents = z.number().int();
const revenueResponse = z.object({
  currency: z.string().nullable(),
  months: z.array(z.object({ month: z.string(), mrrCents: cents, newCents: cents, expansionCents: cents, contractionCents: cents,
    churnCents: cents, reactivationCents: cents, netMrrChurn: z.number().nullable(), quickRatio: z.number().nullable() })),
  netMrrChurn: z.number().nullable(), quickRatio: z.number().nullable(),
});

export function analyticsRevenueRoute(deps: QueryApiDependencies): QueryRouteSpec<z.infer<typeof revenueQuery>, object> {
  return {
    url: '/v1/analytics/revenue',
    summary: 'MRR and its movements per month, net MRR churn, quick ratio, in one currency (default: the tenant\'s main one; the last 12 months)',
    roles: readerRoles, query: revenueQuery, params: z.object({}), progress: deps.analyticsProgress,
    refusals: analyticsRefusals, response: revenueResponse,
    handle: async ({ query, principal }) => {
      const analytics = requireAnalytics(deps);
      const range = resolveRange(query, todayOf(deps.now), 366);
      const currency = query.currency ?? (await tenantCurrency(deps, analytics, principal.tenantId));
      return readRevenue(analytics, { tenantId: principal.tenantId, ...range, currency });
    },
  };
}
