import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { eventDefinitions } from '../../../domain/event-definitions';
import { createClickHouseStore } from '../../../infra/analytics/clickhouse-store';
import { migrateAnalytics } from '../../../infra/analytics/migrate-analytics';
import { guardEventStore } from '../../../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../../../infra/event-store/postgres-event-store';
import { migrate } from '../../../infra/postgres/migrate';
import { createPool } from '../../../infra/postgres/pool';
import { rebuildAnalytics } from '../../../projectors/analytics/rebuild-analytics';
import { readEngagement } from '../../../query-api/analytics/engagement-query';
import { readRetention } from '../../../query-api/analytics/retention-query';
import { benchDatabase } from '../bench-database';
import { round, summarise } from '../stats';
import { appendActivityHistory } from './activity-history';
import { appendSubscriptionHistory } from './subscription-history';
import { readRevenue } from '../../../query-api/analytics/revenue-query';

export type AnalyticsBenchOptions = { activities: number; members: number; queries: number; log: (m: string) => void };

/**
 * Analytics, self-contained: PostgreSQL (DATABASE_URL, or a throw-away embedded one) holds the
 * event store; ClickHouse is CLICKHOUSE_URL or chDB on a throw-away directory. Measures the
 * rebuild of the ClickHouse tables from the log (the same code as `npm run rebuild`), then the
 * latency of the retention and engagement queries the API runs, on that data.
 */
export async function runAnalyticsBench(options: AnalyticsBenchOptions) {
  const { log } = options;
  const scratch = await mkdtemp(path.join(tmpdir(), 'bench-analytics-'));
  const database = await benchDatabase(log);
  try {
    const pool = createPool({ connectionString: database.url, max: 20, applicationName: 'membership-bench' });
    await migrate(pool, { queryRole: 'membership_query' });
    const analytics = await createClickHouseStore(process.env.CLICKHOUSE_URL ? { url: process.env.CLICKHOUSE_URL } : { embeddedPath: path.join(scratch, 'chdb') });
    await migrateAnalytics(analytics);
    const store = guardEventStore(createPostgresEventStore(pool), eventDefinitions);
    try {
      const tenantId = uuidv7();
      log(`appending ${options.activities} activities of ${options.members} members to the event store`);
      const history = await appendActivityHistory(store, tenantId, options.members, options.activities,
        (n) => n % 100_000 === 0 && log(`  ${n} activities appended`));
      log('appending the subscriptions of half the members: starts, upgrades, downgrades, cancellations, lapses, reinstatements');
      const subscriptionEvents = await appendSubscriptionHistory(store, tenantId, history.members);
      const appended = history.events + subscriptionEvents;
      log('rebuilding the ClickHouse tables from the event store');
      const rebuilt = await rebuildAnalytics({ events: store, pool, analytics });
      log(`querying: ${options.queries} retention, engagement and revenue requests`);
      const retention = await timeQueries(options.queries, (i) => readRetention(analytics, { tenantId, from: '2025-01-01', to: '2025-12-31', mode: i % 2 === 0 ? 'on' : 'on_or_after' }));
      const engagement = await timeQueries(options.queries, (i) => readEngagement(analytics, { tenantId, from: '2025-10-01', to: '2025-12-31', interval: (['day', 'week', 'month'] as const)[i % 3]! }));
      const revenue = await timeQueries(options.queries, () => readRevenue(analytics, { tenantId, from: '2025-01-01', to: '2025-12-31', currency: 'EUR' }));
      return {
        data: { tenants: 1, members: options.members, activityEvents: options.activities, subscriptionEvents, eventsInLog: appended },
        rebuild: { events: rebuilt.events, seconds: round(rebuilt.seconds, 1), eventsPerSecond: round(rebuilt.events / rebuilt.seconds, 0) },
        retentionQueryMs: retention, engagementQueryMs: engagement, revenueQueryMs: revenue,
        targets: { rebuild: '>= 100000 events/s', retentionQuery: 'p99 <= 200 ms', revenueQuery: 'p99 <= 200 ms' },
      };
    } finally {
      await analytics.close();
      await pool.end();
    }
  } finally {
    await database.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function timeQueries(count: number, run: (i: number) => Promise<unknown>) {
  await run(0); // warm-up: first-query caches are not what users wait on
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return summarise(times);
}
