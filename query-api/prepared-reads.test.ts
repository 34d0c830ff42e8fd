import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { createPool } from '../infra/postgres/pool';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import type { ReadModelDatabase } from '../infra/read-models/database';
import { createPreparedReads, type PreparedReads } from './prepared-reads';
import { compiledOnce } from './compiled-once';

type Context = { database: TestDatabase; queryPool: Pool; db: Kysely<ReadModelDatabase>; reads: PreparedReads; tenants: string[] };
const test = suite<Context>('tenant reads as prepared statements, in one round trip');

test.before(async (context) => {
  context.database = await createTestDatabase();
  // One connection: every read below reuses the statements the reads before it prepared.
  context.queryPool = createPool({ connectionString: context.database.queryUrl, max: 1, applicationName: 'prepared-reads-test' });
  context.db = new Kysely<ReadModelDatabase>({ dialect: new PostgresDialect({ pool: context.queryPool }) });
  context.reads = createPreparedReads(context.queryPool);
  context.tenants = [uuidv7(), uuidv7()];
  for (const [t, tenantId] of context.tenants.entries()) {
    await context.database.pool.query(`INSERT INTO rm_members (tenant_id, member_id, email, first_name, last_name, status, created_at,
        updated_at, revision)
      SELECT $1::uuid, gen_random_uuid(), 't${t}-' || n || '@example.org', 'F', 'L', 'active', now(), now(), 0
      FROM generate_series(1, ${3 + t}) n`, [tenantId]);
  }
});
test.after(async ({ database, queryPool }) => {
  await queryPool.end();
  await database.drop();
});

const emailsOf = (db: Kysely<ReadModelDatabase>, status: string) =>
  db.selectFrom('rm_members').select('email').where('status', '=', status).orderBy('email');
const failureOf = (read: Promise<unknown>) => read.then(() => assert.unreachable('the read should fail'), (error: unknown) => error);
const preparedCount = async (pool: Pool) =>
  Number((await pool.query(`SELECT count(*) AS n FROM pg_prepared_statements WHERE name LIKE 'tenant_read_%'`)).rows[0].n);

test('each read sees its own tenant only, past the executions after which PostgreSQL keeps a generic plan', async ({ db, reads, tenants, queryPool }) => {
  for (let round = 0; round < 8; round += 1) {
    for (const [t, tenantId] of tenants.entries()) {
      const [rows] = await reads.read(tenantId, [emailsOf(db, 'active')]);
      assert.is(rows.length, 3 + t);
      assert.ok(rows.every((row) => row.email.startsWith(`t${t}-`)), `round ${round}, tenant ${t}`);
    }
  }
  assert.is(await preparedCount(queryPool), 1, 'one statement, prepared once on the connection');
  assert.is((await queryPool.query(`SELECT current_setting('app.tenant_id', true) AS t`)).rows[0].t, '',
    'the tenant is set for the read only, not left on the connection');
});

test('several queries travel together and answer in order', async ({ db, reads, tenants }) => {
  const [emails, [counted]] = await reads.read(tenants[1]!,
    [emailsOf(db, 'active'), db.selectFrom('rm_members').select((eb) => eb.fn.countAll<number>().as('n'))]);
  assert.is(emails.length, 4);
  assert.is(Number(counted?.n), 4);
});

test('the queries of one read answer from one snapshot, whatever commits meanwhile', async ({ db, reads, tenants, database }) => {
  const [tenantId] = tenants as [string];
  const count = () => db.selectFrom('rm_members').select((eb) => eb.fn.countAll<number>().as('n'));
  const reading = reads.read(tenantId, [count(), db.selectNoFrom(sql<string>`pg_sleep(0.4)::text`.as('slept')), count()]);
  await new Promise((resolve) => setTimeout(resolve, 150));
  const memberId = uuidv7();
  await database.pool.query(`INSERT INTO rm_members (tenant_id, member_id, email, first_name, last_name, status, created_at, updated_at, revision)
    VALUES ($1, $2, 'meanwhile@example.org', 'F', 'L', 'pending', now(), now(), 0)`, [tenantId, memberId]);
  const [[before], , [after]] = await reading;
  await database.pool.query('DELETE FROM rm_members WHERE member_id = $1', [memberId]);
  assert.is(Number(after?.n), Number(before?.n), 'a member committed during the read is in neither count');
});

test('a value with quotes, backslashes and SQL in it is read as the value it is', async ({ db, reads, tenants }) => {
  for (const value of [`O'Brien`, 'back\\slash\\', `'); DELETE FROM rm_members; --`, 'ünï©ødé 😀', '']) {
    const [[row]] = await reads.read(tenants[0]!, [db.selectNoFrom(sql<string>`${value}::text`.as('v'))]);
    assert.is(row?.v, value);
  }
  const [rows] = await reads.read(tenants[0]!, [emailsOf(db, `active' OR '1'='1`)]);
  assert.equal(rows, []);
});

test('a NUL byte is refused before anything is sent, and the connection is given back', async ({ db, reads, tenants }) => {
  assert.match(String(await failureOf(reads.read(tenants[0]!, [emailsOf(db, 'act\0ive')]))), /NUL/);
  const [rows] = await reads.read(tenants[0]!, [emailsOf(db, 'active')]);
  assert.is(rows.length, 3, 'the single connection of the pool is free again');
});

const backendOf = async (pool: Pool) => Number((await pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);

test('a read the server refuses keeps its connection, which forgets its statements and prepares afresh', async ({ db, reads, tenants, queryPool }) => {
  await reads.read(tenants[0]!, [emailsOf(db, 'active')]);
  const backend = await backendOf(queryPool);
  const failing = db.selectNoFrom(sql<string>`${'not a uuid'}::uuid`.as('v'));
  assert.match(String(await failureOf(reads.read(tenants[0]!, [emailsOf(db, 'active'), failing]))), /uuid/);
  assert.is(await backendOf(queryPool), backend, 'the same connection: a refused read costs no reconnect');
  assert.is(await preparedCount(queryPool), 0, 'what the failed message prepared is forgotten with the rest');
  const [rows] = await reads.read(tenants[0]!, [emailsOf(db, 'active')]);
  assert.is(rows.length, 3);
  assert.is(await preparedCount(queryPool), 1);
  assert.match(String(await failureOf(reads.read(tenants[0]!, [emailsOf(db, 'active'), failing]))), /uuid/);
  const [again] = await reads.read(tenants[0]!, [emailsOf(db, 'active')]);
  assert.is(again.length, 3, 'prepared again after the second failure');
});

test('a refused read that prepared nothing keeps the connection and its statements', async ({ db, reads, tenants, queryPool }) => {
  const asUuid = (value: string) => db.selectNoFrom(sql<string>`${value}::uuid`.as('v'));
  await reads.read(tenants[0]!, [emailsOf(db, 'active'), asUuid(uuidv7())]);
  const [backend, prepared] = [await backendOf(queryPool), await preparedCount(queryPool)];
  assert.match(String(await failureOf(reads.read(tenants[0]!, [emailsOf(db, 'active'), asUuid('not a uuid')]))), /uuid/);
  assert.equal([await backendOf(queryPool), await preparedCount(queryPool)], [backend, prepared]);
  const [rows] = await reads.read(tenants[0]!, [emailsOf(db, 'active')]);
  assert.is(rows.length, 3);
});

test('a read whose connection dies is answered by a fresh one', async ({ db, reads, tenants, queryPool, database }) => {
  await reads.read(tenants[0]!, [emailsOf(db, 'active')]);
  const backend = await backendOf(queryPool);
  await database.pool.query('SELECT pg_terminate_backend($1)', [backend]);
  // pg's pool may notice the closed connection first and hand out a fresh one, or this read fails.
  await reads.read(tenants[0]!, [emailsOf(db, 'active')]).catch(() => undefined);
  const [rows] = await reads.read(tenants[0]!, [emailsOf(db, 'active')]);
  assert.is(rows.length, 3);
  assert.is.not(await backendOf(queryPool), backend);
});

test('past 64 statements a connection deallocates the least recently used and keeps answering', async ({ db, reads, tenants, queryPool }) => {
  await reads.read(tenants[0]!, [emailsOf(db, 'active')]);
  for (let i = 0; i < 150; i += 1) {
    const [[row]] = await reads.read(tenants[0]!, [db.selectNoFrom(sql<number>`${i}::int + ${sql.lit(i)}`.as('v'))]);
    assert.is(row?.v, 2 * i);
    if (i % 10 === 0) await reads.read(tenants[0]!, [emailsOf(db, 'active')]);
  }
  assert.is(await preparedCount(queryPool), 64, 'bounded');
  const { rows } = await queryPool.query(`SELECT count(*) AS n FROM pg_prepared_statements WHERE statement LIKE '%"email"%'`);
  assert.is(Number(rows[0].n), 1, 'the statement in use all along is still prepared');
});

test('compiledOnce builds a query once per distinct arguments, the most recently used kept, and reads it as built', async ({ db, reads, tenants }) => {
  let builds = 0;
  const byStatus = compiledOnce((status: string) => {
    builds += 1;
    return emailsOf(db, status);
  }, 2);
  for (let i = 0; i < 3; i += 1) {
    const [rows] = await reads.read(tenants[1]!, [byStatus('active')]);
    assert.is(rows.length, 4);
  }
  assert.is(builds, 1);
  const [none] = await reads.read(tenants[1]!, [byStatus('pending')]);
  assert.equal([none.length, builds], [0, 2]);
  byStatus('active');
  byStatus('suspended');
  assert.is(builds, 3);
  byStatus('active');
  byStatus('pending');
  assert.is(builds, 4, 'past its bound the least recently used went: pending, not active');
});

test.run();
