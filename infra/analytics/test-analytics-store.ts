import { createClickHouseStore } from './clickhouse-store';
import { migrateAnalytics } from './migrate-analytics';
import type { AnalyticsStore } from './port';

/**
 * The tests' analytics store: chDB on the test run's data directory (TEST_ANALYTICS_PATH, set by
 * scripts/test.ts), migrated. chDB allows one directory per process, so the test files share it;
 * each works under its own tenant ids, as tenants share tables in production.
 */
export async function createTestAnalyticsStore(): Promise<AnalyticsStore> {
  const embeddedPath = process.env.TEST_ANALYTICS_PATH;
  if (!embeddedPath) throw new Error('TEST_ANALYTICS_PATH is not set: run the tests with `npm test`');
  const store = await createClickHouseStore({ embeddedPath });
  await migrateAnalytics(store);
  return store;
}

/** Runs `work` on a test analytics store and closes the store afterwards, whatever happens. */
export async function withTestAnalyticsStore(work: (store: AnalyticsStore) => Promise<void>) {
  const store = await createTestAnalyticsStore();
  try {
    await work(store);
  } finally {
    await store.close();
  }
}
