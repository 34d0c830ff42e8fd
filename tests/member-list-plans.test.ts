import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Kysely, PostgresDialect } from 'kysely';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { createPool } from '../infra/postgres/pool';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import type { ReadModelDatabase } from '../infra/read-models/database';
import { decodeCursor, encodeCursor } from '../query-api/routes/members/member-cursor';
import { memberCountQuery, memberListQuery, memberPageQuery, toMemberPage, type MemberFilter } from '../query-api/routes/members/member-page';
import { createPreparedReads } from '../query-api/prepared-reads';

type Context = { database: TestDatabase; queryPool: Pool; tenantId: string };
const test = suite<Context>('the member list’s prepared statements are planned once per connection, not per request');

test.before(async (context) => {
  context.database = await createTestDatabase();
  context.queryPool = createPool({ connectionString: context.database.queryUrl, max: 1, applicationName: 'list-plans-test' });
  context.tenantId = uuidv7();
  await context.database.pool.query(`INSERT INTO rm_members (tenant_id, member_id, email, first_name, last_name, status, created_at,
      updated_at, revision)
    SELECT $1::uuid, gen_random_uuid(), 'member' || n || '@example.org', 'First' || n, md5(n::text),
      CASE WHEN n % 10 = 0 THEN 'suspended' ELSE 'active' END, now() - n * interval '1 second', now(), 0
    FROM generate_series(1, 20000) n`, [context.tenantId]);
  await context.database.pool.query('ANALYZE rm_members');
});
test.after(async ({ database, queryPool }) => {
  await queryPool.end();
  await database.drop();
});

test('every list shape a console sends settles on a generic plan', async ({ queryPool, tenantId }) => {
  const db = new Kysely<ReadModelDatabase>({ dialect: new PostgresDialect({ pool: queryPool }) });
  const reads = createPreparedReads(queryPool);
  const cursor = encodeCursor({ sort: '-createdAt', after: [new Date().toISOString(), uuidv7()] });
  const shapes: { filter: MemberFilter; cursor?: string }[] = [
    { filter: { sort: '-createdAt' } }, { filter: { sort: 'name' } }, { filter: { sort: '-email' } },
    { filter: { sort: '-createdAt', status: 'active' } }, { filter: { sort: '-createdAt', membershipTypeId: uuidv7() } },
    { filter: { sort: '-createdAt' }, cursor },
  ];
  // PostgreSQL weighs a generic plan after five executions with custom ones.
  for (let run = 0; run < 8; run += 1) {
    for (const { filter, cursor: sent } of shapes) {
      const after = sent ? decodeCursor(sent, filter.sort) : null;
      await reads.read(tenantId, [memberListQuery(db, filter, after, 50), memberCountQuery(db, filter)]);
    }
  }
  const { rows } = await queryPool.query(`SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements`);
  const replanned = rows.filter((row) => row.generic_plans === 0).map((row) => `${row.custom_plans} custom plans: ${row.statement}`);
  assert.ok(rows.length >= shapes.length, `${rows.length} statements`);
  assert.equal(replanned, [], replanned.join('\n'));
});

test('the page sizes 1 to 200 share five statements, each page still of its own size', async ({ database, tenantId }) => {
  const pool = createPool({ connectionString: database.queryUrl, max: 1, applicationName: 'list-sizes-test' });
  try {
    const db = new Kysely<ReadModelDatabase>({ dialect: new PostgresDialect({ pool }) });
    const reads = createPreparedReads(pool);
    const filter: MemberFilter = { sort: 'name' };
    for (let limit = 1; limit <= 200; limit += 1) {
      const [found] = await reads.read(tenantId, [memberPageQuery(db, filter, null, limit)]);
      const page = toMemberPage(found, filter, limit);
      assert.is(page.items.length, limit);
      assert.type(page.nextCursor, 'string');
    }
    const { rows } = await pool.query(`SELECT count(*) AS n FROM pg_prepared_statements`);
    assert.is(Number(rows[0].n), 5);
  } finally {
    await pool.end();
  }
});

test.run();
