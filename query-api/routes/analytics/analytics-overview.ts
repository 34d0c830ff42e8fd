import { z } from 'zod';
import { todayOf } from '../../date-range';
import { readOverview } from '../../analytics/overview-query';
import type { QueryApiDependencies } from '../../dependencies';
import { readerRoles, type QueryRouteSpec } from '../../query-route';
import { analyticsRefusals, requireAnalytics } from './analytics-context';
import { tenantCurrency } from './tenant-currency';

export function analyticsOverviewRoute(deps: QueryApiDependencies): QueryRouteSpec<object, object> {
  return {
    url: '/v1/analytics/overview', summary: 'Members, active members this month, MRR and month-over-month retention',
    roles: readerRoles, query: z.object({}), params: z.object({}), progress: deps.analyticsProgress,
    refusals: analyticsRefusals, response: z.object({ totalMembers: z.number().int(), activeThisMonth: z.number().int(),
      monthlyRevenueCents: z.number().int(), currency: z.string().nullable(), retentionRate: z.number() }),
    handle: async ({ principal }) => {
      const analytics = requireAnalytics(deps);
      const currency = await tenantCurrency(deps, analytics, principal.tenantId);
      return readOverview(analytics, { tenantId: principal.tenantId, today: todayOf(deps.now), currency });
    },
  };
}
