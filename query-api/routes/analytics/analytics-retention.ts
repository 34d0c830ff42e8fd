import { z } from 'zod';
import { readRetention } from '../../analytics/retention-query';
import type { QueryApiDependencies } from '../../dependencies';
import { readerRoles, type QueryRouteSpec } from '../../query-route';
import { analyticsRefusals, requireAnalytics } from './analytics-context';
import { dateRangeQuery, resolveRange, todayOf } from '../../date-range';

const retentionQuery = dateRangeQuery({
  period: z.enum(['month']).default('month'),
  mode: z.enum(['on', 'on_or_after']).default('on'),
});

export function analyticsRetentionRoute(deps: QueryApiDependencies): QueryRouteSpec<z.infer<typeof retentionQuery>, object> {
  return {
    url: '/v1/analytics/retention', summary: 'Monthly cohort retention, `on` or `on_or_after` (default: cohorts of the last 12 months)',
    roles: readerRoles, query: retentionQuery, params: z.object({}), progress: deps.analyticsProgress,
    refusals: analyticsRefusals, response: z.object({ period: z.literal('month'), mode: z.enum(['on', 'on_or_after']),
      cohorts: z.array(z.object({ cohort: z.string(), size: z.number().int(), retained: z.array(z.number().int()), rates: z.array(z.number()) })) }),
    handle: async ({ query, principal }) => {
      const range = resolveRange(query, todayOf(deps.now), 366);
      return readRetention(requireAnalytics(deps), { tenantId: principal.tenantId, ...range, mode: query.mode });
    },
  };
}
