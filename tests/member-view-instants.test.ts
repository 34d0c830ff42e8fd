import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Kysely, PostgresDialect } from 'kysely';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { createPool } from '../infra/postgres/pool';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import type { ReadModelDatabase } from '../infra/read-models/database';
import { selectMembers, toMemberView } from '../query-api/routes/members/member-view';
import { createPreparedReads } from '../query-api/prepared-reads';

type Context = { database: TestDatabase; queryPool: Pool };
const test = suite<Context>('the member view writes instants as Date#toISOString does, though they arrive as UTC text');

test.before(async (context) => {
  context.database = await createTestDatabase();
  context.queryPool = createPool({ connectionString: context.database.queryUrl, max: 1, applicationName: 'instants-test' });
});
test.after(async ({ database, queryPool }) => {
  await queryPool.end();
  await database.drop();
});

test('UTC, milliseconds truncated, whatever the session time zone; no activity is null', async ({ database, queryPool }) => {
  const tenantId = uuidv7();
  const instants = ['2026-03-01 12:34:56.789999+00', '1999-12-31 23:59:59.9999+05:30', '2026-07-04 00:00:00+00'];
  const members = instants.map(() => uuidv7());
  for (const [i, instant] of instants.entries()) {
    await database.pool.query(`INSERT INTO rm_members (tenant_id, member_id, email, first_name, last_name, status, created_at, updated_at, revision)
      VALUES ($1, $2, $3, 'F', 'L', 'active', $4, $4, 0)`, [tenantId, members[i], `m${i}@example.org`, instant]);
  }
  await database.pool.query(`INSERT INTO rm_member_activity (tenant_id, member_id, last_activity_at) VALUES ($1, $2, $3)`,
    [tenantId, members[0], instants[1]]);
  await queryPool.query(`SET TIME ZONE 'America/New_York'`);
  const db = new Kysely<ReadModelDatabase>({ dialect: new PostgresDialect({ pool: queryPool }) });
  const [rows] = await createPreparedReads(queryPool).read(tenantId, [selectMembers(db).orderBy('m.email')]);
  const views = rows.map(toMemberView);
  // As new Date(instant).toISOString() writes each of them.
  const expected = ['2026-03-01T12:34:56.789Z', '1999-12-31T18:29:59.999Z', '2026-07-04T00:00:00.000Z'];
  assert.equal(views.map((v) => v.createdAt), expected);
  assert.equal(views.map((v) => v.updatedAt), expected);
  assert.equal(views.map((v) => v.lastActivityAt), [expected[1], null, null]);
});

test.run();
