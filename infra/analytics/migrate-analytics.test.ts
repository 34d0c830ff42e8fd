import { readdir } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { migrateAnalytics, splitStatements } from './migrate-analytics';
import { createTestAnalyticsStore } from './test-analytics-store';

test('each migration file is applied once and recorded; applying again changes nothing', async () => {
  const store = await createTestAnalyticsStore();
  try {
    await migrateAnalytics(store);
    const files = (await readdir(new URL('./migrations', import.meta.url))).filter((f) => f.endsWith('.sql')).sort();
    const recorded = await store.query<{ name: string; times: number }>('SELECT name, count() AS times FROM analytics_schema_migrations GROUP BY name ORDER BY name');
    assert.equal(recorded, files.map((name) => ({ name, times: 1 })));
    const tables = await store.query<{ name: string }>("SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN ('member_facts', 'activity_facts', 'subscription_facts', 'member_activity_daily', 'member_current') ORDER BY name");
    assert.is(tables.length, 5);
  } finally {
    await store.close();
  }
});

test('a migration file splits into its statements, comments dropped', () => {
  assert.equal(splitStatements('-- why\nCREATE TABLE a (x UInt8) ENGINE = Memory;\n\n-- and\nCREATE VIEW v AS\nSELECT 1;\n'),
    ['CREATE TABLE a (x UInt8) ENGINE = Memory', 'CREATE VIEW v AS\nSELECT 1']);
});

test.run();
