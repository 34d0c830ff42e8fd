import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { apiStatementTimeoutMs, createPool } from '../infra/postgres/pool';
import { startHarness, type Harness, type Reply } from './platform-harness';

type Context = { h: Harness; owner: string };
const test = suite<Context>('every pool has statement and idle-in-transaction timeouts; a timed-out statement is a 503');

test.before(async (context) => {
  // Its tests hold tables locked, which holds the read-model projection back too: the write
  // back-pressure (tested in load-shedding.test.ts) must not answer for the statement timeout here.
  context.h = await startHarness({ maxProjectionLagMs: 600_000 });
  context.owner = (await context.h.createTenant('Timeouts')).owner;
  const member = await context.h.command('POST', '/v1/members', context.owner, { email: 't@example.org', firstName: 'T', lastName: 'T' });
  assert.is(member.status, 201, member.text);
});
test.after(async ({ h }) => h.close());

test('a pool’s connections carry the timeouts, 5 s and 10 s unless the caller says otherwise', async ({ h }) => {
  const settingsOf = async (options: { statementTimeoutMs?: number; idleInTransactionTimeoutMs?: number }) => {
    const pool = createPool({ connectionString: h.database.url, max: 1, applicationName: 'timeouts-test', ...options });
    try {
      const shown = await pool.query(`SELECT current_setting('statement_timeout') AS statement,
        current_setting('idle_in_transaction_session_timeout') AS idle`);
      return shown.rows[0];
    } finally {
      await pool.end();
    }
  };
  assert.equal(await settingsOf({}), { statement: '5s', idle: '10s' });
  assert.equal(await settingsOf({ statementTimeoutMs: 60_000, idleInTransactionTimeoutMs: 2_000 }), { statement: '1min', idle: '2s' });
});

/**
 * Holds an exclusive lock on `table` while `run` goes, as a stuck migration or a long batch would;
 * lets go after 9 s whatever happens, so that a request that would wait forever fails the test.
 */
async function whileLocked<T>(h: Harness, table: string, run: () => Promise<T>): Promise<T> {
  const client = await h.database.pool.connect();
  let released: Promise<unknown> | undefined;
  const release = () => (released ??= client.query('ROLLBACK').catch(() => undefined));
  try {
    await client.query(`BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    const letGo = setTimeout(release, apiStatementTimeoutMs + 4_000);
    try {
      return await run();
    } finally {
      clearTimeout(letGo);
    }
  } finally {
    await release();
    client.release();
  }
}

function assertTimedOut(reply: Reply, elapsedMs: number, what: string) {
  assert.is(reply.status, 503, `${what}: ${reply.text}`);
  assert.match(String(reply.headers['content-type']), 'application/problem+json', what);
  assert.is(reply.body.code, 'database-timeout', what);
  assert.ok(reply.headers['retry-after'], what);
  assert.ok(elapsedMs >= apiStatementTimeoutMs - 500 && elapsedMs < apiStatementTimeoutMs + 4_000, `${what} after ${elapsedMs} ms`);
}

test('reads blocked past the statement timeout answer 503, the CSV export too (no header first)', async ({ h, owner }) => {
  const timed = async (send: () => Promise<Reply>) => {
    const started = Date.now();
    const reply = await send();
    return { reply, elapsed: Date.now() - started };
  };
  const [list, csv] = await whileLocked(h, 'rm_members', () => Promise.all([
    timed(() => h.query('/v1/members', owner)),
    timed(() => h.query('/v1/members/export.csv', owner)),
  ]));
  assertTimedOut(list.reply, list.elapsed, 'list');
  assertTimedOut(csv.reply, csv.elapsed, 'export');
  assert.is((await h.query('/v1/members', owner)).status, 200, 'served again once the lock is gone');
});

test('a command blocked past the statement timeout answers 503 and writes nothing', async ({ h, owner }) => {
  const events = async () => Number((await h.database.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
  const before = await events();
  const started = Date.now();
  const reply = await whileLocked(h, 'events', () =>
    h.command('POST', '/v1/members', owner, { email: 'late@example.org', firstName: 'L', lastName: 'L' }));
  assertTimedOut(reply, Date.now() - started, 'registration');
  assert.is(await events(), before, 'nothing appended');
  const again = await h.command('POST', '/v1/members', owner, { email: 'late@example.org', firstName: 'L', lastName: 'L' });
  assert.is(again.status, 201, again.text);
});

test.run();
