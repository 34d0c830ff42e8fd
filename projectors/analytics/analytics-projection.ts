import type { AnalyticsProjection } from '../runtime/analytics-batch';
import { projectAnalytics } from './project-analytics';

/** The ClickHouse tables analysts and the query API's analytics routes read. */
export const clickHouseAnalytics: AnalyticsProjection = { name: 'clickhouse-analytics', project: projectAnalytics };
