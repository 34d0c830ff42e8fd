import type { AnalyticsStore } from '../../../infra/analytics/port';
import { analyticsQueryLimitCode } from '../../../infra/analytics/tenant-reads';
import { refusal, type RefusalSource } from '../../../infra/http/openapi-responses';
import { HttpProblem } from '../../../infra/http/problem';
import type { QueryApiDependencies } from '../../dependencies';

/**
 * The analytics store, or a 503 where this process has none (distributed mode without CLICKHOUSE_URL).
 * Each route calls it once per request, in its handler (after any X-Consistency-Position wait):
 * with the answer cache, that request's reads are served from it under the tenant's current
 * analytics version (query-api/analytics/answer-cache.ts).
 */
export function requireAnalytics(deps: QueryApiDependencies): AnalyticsStore {
  if (!deps.analytics) {
    throw new HttpProblem(503, 'analytics-unavailable', 'Service unavailable', 'Analytics are not configured on this query API (CLICKHOUSE_URL).', undefined, { 'Retry-After': '60' });
  }
  return deps.analyticsAnswers ? deps.analyticsAnswers.forRequest(deps.analytics) : deps.analytics;
}

/** What every analytics route can answer besides its figures. */
export const analyticsRefusals: RefusalSource[] = [() => requireAnalytics({} as QueryApiDependencies), refusal(503, analyticsQueryLimitCode)];
