import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withTestAnalyticsStore } from '../test-analytics-store';
import { analystViews, readerAccessStatements, readerRole, tenantCondition, tenantSetting, tenantTables } from './reader-access';

// chDB has no access control to run these statements against (its one user may not manage
// access, and an embedded engine has no writable access storage), so what can be checked here
// is what they say: ClickHouse's parser accepts each, and they cover what the readers read.
const granted = new Set<string>([...tenantTables, ...analystViews]);
const tableFunctions = new Set(['numbers']);

/** The tables and views a piece of SQL reads (names after FROM and JOIN, not ARRAY JOIN). */
function relationsIn(sql: string): string[] {
  return [...sql.matchAll(/(?<!ARRAY\s+)\b(?:FROM|JOIN)\s+((?:[A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*)/gi)].map((m) => m[1]!.replace(/^.*\./, '')).filter((name) => !tableFunctions.has(name));
}

test("every access statement is valid ClickHouse SQL (the engine's own parser, EXPLAIN AST)", async () => {
  await withTestAnalyticsStore(async (store) => {
    const statements = readerAccessStatements('analytics');
    assert.ok(statements.length >= 1 + 1 + granted.size + 2 * tenantTables.length);
    for (const statement of statements) {
      const ast = await store.query<{ explain: string }>(`EXPLAIN AST ${statement}`);
      assert.ok(ast.length > 0, statement);
    }
    const broken = await store.query(`EXPLAIN AST ${statements.at(-1)!.replace(' USING 1', ' USING')}`).then(() => 'parsed', () => 'refused');
    assert.is(broken, 'refused', 'the parser does refuse a broken statement');
  });
});

test('each table holding tenant rows gets the tenant policy for the reader role and an all-rows policy for everyone else', () => {
  const statements = readerAccessStatements('analytics');
  for (const table of tenantTables) {
    assert.ok(statements.includes(`CREATE ROW POLICY OR REPLACE tenant_rows ON \`analytics\`.\`${table}\` FOR SELECT USING ${tenantCondition} AS PERMISSIVE TO \`${readerRole}\``), table);
    assert.ok(statements.includes(`CREATE ROW POLICY OR REPLACE all_rows ON \`analytics\`.\`${table}\` FOR SELECT USING 1 AS PERMISSIVE TO ALL EXCEPT \`${readerRole}\``), table);
  }
  assert.not.ok(statements.some((s) => /GRANT (?!SELECT ON)/.test(s)), 'the role is granted SELECT and nothing else');
  assert.match(statements.find((s) => s.includes('SETTINGS PROFILE'))!, /readonly = 2,\s+max_execution_time = \d+ MIN 1 MAX \d+,\s+max_memory_usage = \d+ MIN \d+ MAX \d+ TO/);
  assert.throws(() => readerAccessStatements('analytics; DROP'), /Not a plain ClickHouse identifier/);
});

test('the policy condition, given a tenant, keeps that tenant\'s rows of every tenant table and no one else\'s', async () => {
  await withTestAnalyticsStore(async (store) => {
    const [a, b] = ['0190b000-0000-7000-8000-0000000acce5', '0190b000-0000-7000-8000-0000000b0b0b'];
    const at = '2026-03-01 10:00:00.000';
    for (const tenant of [a, b]) {
      const ids = { tenant_id: tenant, member_id: tenant, event_id: tenant, occurred_at: at };
      await store.insert('member_facts', [{ ...ids, revision: 0, event_type: 'MemberRegistered' }]);
      await store.insert('activity_facts', [{ ...ids, activity_type: 'login' }]);
      await store.insert('subscription_facts', [{ ...ids, revision: 1, event_type: 'SubscriptionStarted', monthly_amount_cents: 100, currency: 'EUR' }]);
    }
    for (const table of tenantTables) {
      const seen = async (value: string) => (await store.query<{ tenant_id: string }>(
        `SELECT DISTINCT tenant_id FROM ${table} WHERE (${tenantCondition.replace(`getSetting('${tenantSetting}')`, `'${value}'`)}) AND tenant_id IN ({a:UUID}, {b:UUID})`,
        { a, b })).map((row) => row.tenant_id);
      assert.equal(await seen(a), [a], table);
      assert.equal(await seen('not-a-tenant'), [], table);
    }
  });
});

test('the grants cover every table and view the query API and the Grafana dashboard read, and nothing holds tenant rows unprotected', async () => {
  const queryFiles = (await readdir('query-api/analytics')).filter((f) => f.endsWith('.ts') && !f.includes('.test.') && !f.includes('fixture'));
  const read = new Set<string>();
  for (const file of queryFiles) {
    // The SQL is in the template literals; the comments around them speak English.
    const sql = (await readFile(`query-api/analytics/${file}`, 'utf8')).match(/`[^`]*`/g) ?? [];
    sql.flatMap(relationsIn).forEach((r) => read.add(r));
  }
  const dashboard = JSON.parse(await readFile('grafana/dashboards/membership-analytics.json', 'utf8')) as { panels: { targets?: { rawSql?: string }[] }[] };
  for (const panel of dashboard.panels) for (const target of panel.targets ?? []) relationsIn(target.rawSql ?? '').forEach((r) => read.add(r));
  assert.ok(read.size >= 8, `found the reads (${[...read].join(', ')})`);
  for (const relation of read) assert.ok(granted.has(relation), `${relation} is read but not granted to the reader`);

  await withTestAnalyticsStore(async (store) => {
    const relations = await store.query<{ name: string; engine: string; as_select: string; tenant: number }>(`
      SELECT name, engine, as_select,
        name IN (SELECT table FROM system.columns WHERE database = currentDatabase() AND name = 'tenant_id') AS tenant
      FROM system.tables WHERE database = currentDatabase() AND NOT endsWith(name, '__rebuild')`);
    const tables = relations.filter((r) => r.tenant && r.engine !== 'View' && r.engine !== 'MaterializedView').map((r) => r.name).sort();
    assert.equal(tables, [...tenantTables].sort(), 'every table with tenant rows has a row policy');
    const views = relations.filter((r) => r.engine === 'View');
    assert.equal(views.map((v) => v.name).sort(), [...analystViews].sort(), 'every analyst view is granted');
    for (const view of views) {
      for (const source of relationsIn(view.as_select)) assert.ok(granted.has(source), `${view.name} reads ${source}`);
    }
  });
});

test("grafana/clickhouse-reader.sh's statements parse, grant the reader role, and pin Grafana's tenant (CONST)", async () => {
  // The script with `clickhouse client` replaced by cat: what it would send, passwords quoted.
  const run = spawnSync('bash', ['-c', 'clickhouse() { cat; }; export -f clickhouse; bash grafana/clickhouse-reader.sh'], {
    encoding: 'utf8',
    env: { ...process.env, CLICKHOUSE_USER: 'membership', CLICKHOUSE_PASSWORD: 'x', CLICKHOUSE_READER_USER: 'membership_reader',
      CLICKHOUSE_READER_PASSWORD: "it's", GRAFANA_CLICKHOUSE_USER: 'grafana', GRAFANA_CLICKHOUSE_PASSWORD: 'g', GRAFANA_TENANT_ID: '0190b000-0000-7000-8000-0000000acce5' },
  });
  assert.is(run.status, 0, run.stderr);
  const statements = run.stdout.split(/;\n/).map((s) => s.trim()).filter(Boolean);
  assert.equal(statements.filter((s) => s.startsWith('GRANT')), [`GRANT ${readerRole} TO membership_reader`, `GRANT ${readerRole} TO grafana`]);
  assert.ok(statements.some((s) => s.includes("BY 'it''s'")), 'a quote in a password stays inside its literal');
  assert.match(statements.find((s) => s.includes('USER IF NOT EXISTS grafana'))!, new RegExp(`SETTINGS ${tenantSetting} = '0190b000-0000-7000-8000-0000000acce5' CONST`));
  await withTestAnalyticsStore(async (store) => {
    for (const statement of statements) assert.ok((await store.query(`EXPLAIN AST ${statement}`)).length > 0, statement);
  });
});

test.run();
