import { suite } from 'uvu';
import { runsPerQuery, scansOf } from './index-scans';
import * as assert from 'uvu/assert';
import { Kysely, PostgresDialect } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Pool } from 'pg';
import { createPool } from '../infra/postgres/pool';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import type { ReadModelDatabase } from '../infra/read-models/database';
import { memberPageQuery, toMemberPage } from '../query-api/routes/members/member-page';
import { createPreparedReads } from '../query-api/prepared-reads';

type Context = { database: TestDatabase; queryPool: Pool; tenantId: string };
const test = suite<Context>('member search (?q=) reads the trigram index, not the tenant’s rows');
const rowsPerTenant = 20_000;

test.before(async (context) => {
  context.database = await createTestDatabase();
  context.queryPool = createPool({ connectionString: context.database.queryUrl, max: 2, applicationName: 'search-test' });
  context.tenantId = uuidv7();
  // Two tenants of many members each, written as the projector would (the owner role); the
  // status counters' per-row trigger is off while they are written: these tests read no counts.
  await context.database.pool.query('ALTER TABLE rm_members DISABLE TRIGGER USER');
  for (const tenantId of [context.tenantId, uuidv7()]) {
    await context.database.pool.query(`INSERT INTO rm_members (tenant_id, member_id, email, first_name, last_name, status,
        created_at, updated_at, revision)
      SELECT $1::uuid, gen_random_uuid(), 'member' || n || '@example.org', 'First' || n, md5(n::text), 'active', now(), now(), 0
      FROM generate_series(1, $2::int) n`, [tenantId, rowsPerTenant]);
  }
  await context.database.pool.query('ALTER TABLE rm_members ENABLE TRIGGER USER');
  await context.database.pool.query('ANALYZE rm_members');
});
test.after(async ({ database, queryPool }) => {
  await queryPool.end();
  await database.drop();
});

/** The query the list route sends for a search, and its page as the query role reads it. */
async function searchStatements(queryPool: Pool, tenantId: string, q: string) {
  const db = new Kysely<ReadModelDatabase>({ dialect: new PostgresDialect({ pool: queryPool }) });
  const filter = { q, sort: '-createdAt' as const };
  const query = memberPageQuery(db, filter, null, 50);
  const [found] = await createPreparedReads(queryPool).read(tenantId, [query]);
  return { page: toMemberPage(found, filter, 50), sent: [query] };
}


test('a search finds its member among the tenant’s 20,000 through rm_members_search, without a scan', async ({ queryPool, tenantId }) => {
  const { page, sent } = await searchStatements(queryPool, tenantId, 'member12345@');
  assert.equal(page.items.map((m) => m.email), ['member12345@example.org']);
  const scans = await scansOf(queryPool, tenantId, sent, 'rm_members_search');
  assert.ok(scans.index_scans >= runsPerQuery * sent.length, `index scans: ${scans.index_scans}`);
  assert.is(scans.table_scans, 0, 'no sequential scan of rm_members');
});

test('the search is still confined to the caller’s tenant', async ({ queryPool, database }) => {
  const { page } = await searchStatements(queryPool, uuidv7(), 'member12345@');
  assert.equal(page.items, []);
  const both = await database.pool.query(`SELECT count(*) AS n FROM rm_members WHERE email = 'member12345@example.org'`);
  assert.is(both.rows[0].n, 2);
});

test('inside search_member_ids, as its owner runs it, the plan is a bitmap scan of the trigram index', async ({ database, tenantId }) => {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const explained = await client.query(`EXPLAIN SELECT member_id FROM rm_members
      WHERE tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
        AND (first_name || ' ' || last_name || ' ' || email) ILIKE '%member12345@%'`);
    const plan = explained.rows.map((row) => row['QUERY PLAN']).join('\n');
    if (process.env.SHOW_PLAN) console.log(plan);
    assert.match(plan, /Bitmap Index Scan on rm_members_search/, plan);
    await client.query('ROLLBACK');
  } finally {
    client.release();
  }
});

test.run();
