import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serverOptions } from './clickhouse-store';
import { withTestAnalyticsStore } from './test-analytics-store';

test('CLICKHOUSE_URL gives the server, the database and the credentials, which leave the URL', () => {
  assert.equal(serverOptions('http://analyst:s%40cret@clickhouse:8123/analytics'),
    { url: 'http://clickhouse:8123/', database: 'analytics', username: 'analyst', password: 's@cret' });
  assert.equal(serverOptions('https://ch.example.org:8443'),
    { url: 'https://ch.example.org:8443/', database: 'default', username: 'default', password: '' });
});

test('the in-process engine lets idle threads go: it shares the platform\'s memory (issue 10)', async () => {
  await withTestAnalyticsStore(async (store) => {
    const rows = await store.query<{ value: string }>(
      "SELECT value FROM system.server_settings WHERE name = 'max_thread_pool_free_size'");
    // ClickHouse's default keeps 1,000: the ~130 its start-up pools left idle held ~50 MB for good.
    assert.equal(rows, [{ value: '8' }]);
  });
});

test.run();
