import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import type { AnalyticsStore } from '../../infra/analytics/port';
import { createTestAnalyticsStore } from '../../infra/analytics/test-analytics-store';
import { createPostgresEventStore } from '../../infra/event-store/postgres-event-store';
import { createTestDatabase, type TestDatabase } from '../../infra/postgres/test-database';
import { rebuildAnalytics } from './rebuild-analytics';

const test = suite<{ db: TestDatabase; analytics: AnalyticsStore }>('analytics rebuild: cached answers stop once the tables are exchanged');

test.before(async (context) => {
  context.db = await createTestDatabase();
  context.analytics = await createTestAnalyticsStore();
});
test.after(async ({ db, analytics }) => {
  await analytics.close();
  await db.drop();
});

const versionOf = async (db: TestDatabase, tenantId: string) =>
  Number((await db.pool.query('SELECT version FROM analytics_tenant_versions WHERE tenant_id = $1', [tenantId])).rows[0]?.version ?? 0);

test('a rebuild that fails after the exchange still moves every tenant’s analytics version on', async ({ db, analytics }) => {
  const tenantId = uuidv7();
  await db.pool.query('INSERT INTO analytics_tenant_versions (tenant_id, version, position) VALUES ($1, 1, 0)', [tenantId]);
  let exchanged = false;
  // ClickHouse fails right after the swap: the aside tables cannot be dropped.
  const failing: AnalyticsStore = { ...analytics, command: async (text, params) => {
    if (/^EXCHANGE/.test(text)) exchanged = true;
    else if (exchanged && /^DROP/.test(text)) throw new Error('ClickHouse went away');
    return analytics.command(text, params);
  } };
  const failure = await rebuildAnalytics({ events: createPostgresEventStore(db.pool), pool: db.pool, analytics: failing, tenantId: uuidv7() })
    .then(() => undefined, (error: unknown) => error);
  assert.match(String(failure), /went away/);
  assert.is(await versionOf(db, tenantId), 2);
  // What the failed rebuild left aside is dropped by the next one, which moves the versions again.
  await rebuildAnalytics({ events: createPostgresEventStore(db.pool), pool: db.pool, analytics, tenantId: uuidv7() });
  assert.is(await versionOf(db, tenantId), 3);
});

test.run();
