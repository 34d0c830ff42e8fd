import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { createPool } from './pool';
import { createTestDatabase, type TestDatabase } from './test-database';

const test = suite<{ database: TestDatabase }>('pools: a connection the server ends is an error of its query, not of the process');

test.before(async (context) => {
  context.database = await createTestDatabase();
});
test.after(async ({ database }) => {
  await database.drop();
});

test('a transaction whose backend is terminated rejects, and the pool answers from a fresh connection', async ({ database }) => {
  const pool = createPool({ connectionString: database.url, max: 1, applicationName: 'pool-test' });
  const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool }) });
  try {
    const failure = await db.transaction().execute(async (trx) => {
      const { rows: [row] } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
      await database.pool.query('SELECT pg_terminate_backend($1)', [row!.pid]);
      // The server's notice of the end reaches the client while it is checked out, before this query.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await sql`SELECT 1`.execute(trx);
    }).then(() => undefined, (error: unknown) => error);
    assert.instance(failure, Error);
    const { rows } = await pool.query('SELECT 1 AS one');
    assert.is(rows[0].one, 1);
  } finally {
    await pool.end();
  }
});

test('PGOPTIONS still reaches the server beside the ISO DateStyle the pool asks for', async ({ database }) => {
  const before = process.env.PGOPTIONS;
  process.env.PGOPTIONS = '-c work_mem=7MB';
  const pool = createPool({ connectionString: database.url, max: 1, applicationName: 'pool-test' });
  try {
    const { rows: [row] } = await pool.query(`SELECT current_setting('work_mem') AS work_mem, current_setting('DateStyle') AS style`);
    assert.is(row.work_mem, '7MB');
    assert.match(row.style, /^ISO,/);
  } finally {
    await pool.end();
    if (before === undefined) delete process.env.PGOPTIONS;
    else process.env.PGOPTIONS = before;
  }
});

test.run();
