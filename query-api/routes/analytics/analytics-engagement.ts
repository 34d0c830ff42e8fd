import { z } from 'zod';
import { readEngagement } from '../../analytics/engagement-query';
import { readLifecycle } from '../../analytics/lifecycle-query';
import type { QueryApiDependencies } from '../../dependencies';
import { readerRoles, type QueryRouteSpec } from '../../query-route';
import { analyticsRefusals, requireAnalytics } from './analytics-context';
import { dateRangeQuery, resolveRange, todayOf } from '../../date-range';

const engagementQuery = dateRangeQuery({ interval: z.enum(['day', 'week', 'month']).default('day') });

export function analyticsEngagementRoute(deps: QueryApiDependencies): QueryRouteSpec<z.infer<typeof engagementQuery>, object> {
  return {
    url: '/v1/analytics/engagement',
    summary: 'Active members and activities per day, week or month; segments; DAU/WAU/MAU and stickiness; lifecycle (default: the last 30 days)',
    roles: readerRoles, query: engagementQuery, params: z.object({}), progress: deps.analyticsProgress,
    refusals: analyticsRefusals, response: z.object({
      interval: z.enum(['day', 'week', 'month']),
      series: z.array(z.object({ period: z.string(), activeMembers: z.number().int(), activities: z.number().int() })),
      segments: z.object({ highlyActive: z.number().int(), moderatelyActive: z.number().int(), lowActivity: z.number().int() }),
      dau: z.number().int(), wau: z.number().int(), mau: z.number().int(), stickiness: z.number(),
      lifecycle: z.array(z.object({ period: z.string(), new: z.number().int(), returning: z.number().int(), resurrecting: z.number().int(), dormant: z.number().int() })),
    }),
    handle: async ({ query, principal }) => {
      const analytics = requireAnalytics(deps);
      const request = { tenantId: principal.tenantId, ...resolveRange(query, todayOf(deps.now), 30), interval: query.interval };
      const [engagement, lifecycle] = await Promise.all([readEngagement(analytics, request), readLifecycle(analytics, request)]);
      return { ...engagement, lifecycle };
    },
  };
}
