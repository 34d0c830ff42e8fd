import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpProblem } from '../http/problem';
import { withSettingsClause } from './clickhouse-store';
import { analyticsQueryLimitCode, tenantReads } from './tenant-reads';
import { withTestAnalyticsStore } from './test-analytics-store';

const tenant = '0190a000-0000-7000-8000-00000000a11d';
const generous = { maxExecutionSeconds: 30, maxMemoryBytes: 1024 ** 3 };

async function problemOf(promise: Promise<unknown>): Promise<HttpProblem> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpProblem) return error;
    throw error;
  }
  throw new Error('the query was expected to fail');
}

test('a read past its time limit is stopped by the engine and answered 503 analytics-query-limit-exceeded', async () => {
  await withTestAnalyticsStore(async (store) => {
    const reads = tenantReads(store, { ...generous, maxExecutionSeconds: 0.3 });
    const started = Date.now();
    const problem = await problemOf(reads.query('SELECT sum(number) AS n FROM numbers(100000000000) WHERE {tenant:UUID} IS NOT NULL', { tenant }));
    assert.is(problem.status, 503);
    assert.is(problem.code, analyticsQueryLimitCode);
    assert.ok(Date.now() - started < 5_000, 'cancelled near its limit, not run to the end');
  });
});

test('a read past its memory limit is stopped and answered the same; within its limits the same store answers', async () => {
  await withTestAnalyticsStore(async (store) => {
    const sql = 'SELECT length(groupArray(number)) AS n FROM numbers(20000000) WHERE {tenant:UUID} IS NOT NULL';
    const problem = await problemOf(tenantReads(store, { ...generous, maxMemoryBytes: 16 * 1024 ** 2 }).query(sql, { tenant }));
    assert.is(problem.code, analyticsQueryLimitCode);
    assert.equal(await tenantReads(store, generous).query(sql, { tenant }), [{ n: 20000000 }]);
  });
});

test("a read's limits stay on that read: the engine's session (shared with the projectors) keeps its own settings", async () => {
  await withTestAnalyticsStore(async (store) => {
    await problemOf(tenantReads(store, { maxExecutionSeconds: 0.3, maxMemoryBytes: 16 * 1024 ** 2 })
      .query('SELECT sum(number) FROM numbers(100000000000) WHERE {tenant:UUID} IS NOT NULL', { tenant }));
    const after = await store.query<{ name: string; value: string }>(
      "SELECT name, value FROM system.settings WHERE name IN ('max_execution_time', 'max_memory_usage') ORDER BY name");
    assert.equal(after.map((s) => s.value), ['0', '0']);
  });
});

test('a read that names no tenant is refused before it runs, and the reader never writes', async () => {
  await withTestAnalyticsStore(async (store) => {
    const reads = tenantReads(store, generous);
    for (const params of [undefined, {}, { tenant: 'not-a-uuid' }]) {
      await reads.query('SELECT count() FROM member_facts', params).then(
        () => assert.unreachable('a read without a tenant ran'), (error: Error) => assert.match(error.message, /must name its tenant/));
    }
    await reads.command('DROP TABLE IF EXISTS member_facts').then(() => assert.unreachable('the reader wrote'), () => undefined);
    await reads.insert('member_facts', [{}]).then(() => assert.unreachable('the reader wrote'), () => undefined);
    assert.is((await store.query("SELECT name FROM system.tables WHERE database = currentDatabase() AND name = 'member_facts'")).length, 1);
  });
});

test('settings go into the SQL as a SETTINGS clause, their values quoted as ClickHouse strings', () => {
  assert.is(withSettingsClause('SELECT 1', { max_execution_time: 10, SQL_tenant_id: "o'brien\\" }),
    "SELECT 1\nSETTINGS max_execution_time = 10, SQL_tenant_id = 'o''brien\\\\'");
  assert.is(withSettingsClause('SELECT 1', {}), 'SELECT 1');
  assert.throws(() => withSettingsClause('SELECT 1', { 'x; DROP': 1 }), /Invalid ClickHouse setting name/);
});

test.run();
