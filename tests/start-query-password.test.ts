import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Pool } from 'pg';
import { withCredentials, withDatabase } from '../infra/postgres/connection-url';
import { findFreePort } from '../infra/postgres/free-port';
import { migrate } from '../infra/postgres/migrate';
import { createPool } from '../infra/postgres/pool';
import { runScript } from './run-script';

type Context = { admin: Pool; database: string; url: string; role: string; dataDir: string };
const start = suite<Context>('npm start on a DATABASE_URL it was given');
/** The password an operator gave the query role; other processes of theirs connect with it. */
const ownPassword = 'the-operators-own-query-password';

start.before(async (context) => {
  const suffix = randomBytes(4).toString('hex');
  context.admin = createPool({ connectionString: process.env.TEST_DATABASE_URL!, max: 1, applicationName: 'tests' });
  context.database = `start_given_${suffix}`;
  context.role = `start_query_${suffix}`;
  await context.admin.query(`CREATE DATABASE ${context.database}`);
  context.url = withDatabase(process.env.TEST_DATABASE_URL!, context.database);
  const owner = createPool({ connectionString: context.url, max: 1, applicationName: 'tests' });
  await migrate(owner, { queryRole: context.role, queryRolePassword: ownPassword });
  await owner.end();
  context.dataDir = await mkdtemp(path.join(tmpdir(), 'start-given-'));
  await chmod(context.dataDir, 0o755);
});

start.after(async (context) => {
  await context.admin.query(`DROP DATABASE IF EXISTS ${context.database} WITH (FORCE)`);
  await context.admin.query(`DROP ROLE IF EXISTS ${context.role}`);
  await context.admin.end();
  await rm(context.dataDir, { recursive: true, force: true });
});

/** Whether the query role still logs in with the operator's password. */
async function ownPasswordWorks(context: Context): Promise<boolean> {
  const pool = createPool({ connectionString: withCredentials(context.url, context.role, ownPassword), max: 1, applicationName: 'tests' });
  try {
    return (await pool.query('SELECT current_user AS role')).rows[0].role === context.role;
  } catch {
    return false;
  } finally {
    await pool.end();
  }
}

async function environment(context: Context) {
  return {
    DATABASE_URL: context.url, QUERY_DB_ROLE: context.role, DATA_DIR: context.dataDir,
    COMMAND_API_PORT: String(await findFreePort()), QUERY_API_PORT: String(await findFreePort()),
  };
}

start('without QUERY_DB_PASSWORD it refuses to start, and the role keeps its password', async (context) => {
  const run = runScript('scripts/start.ts', [], await environment(context));
  assert.not.match(await run.exitWithin(30_000), /^0$|still running/, run.output());
  assert.match(run.output(), /Refusing to start: with DATABASE_URL, set QUERY_DB_PASSWORD/);
  assert.ok(await ownPasswordWorks(context), 'the development password was set on a database npm start did not create');
});

start('with QUERY_DATABASE_URL it serves and leaves the role\'s password alone', async (context) => {
  const env = await environment(context);
  const run = runScript('scripts/start.ts', [], { ...env, QUERY_DATABASE_URL: withCredentials(context.url, context.role, ownPassword) });
  try {
    assert.ok(await run.waitFor(/export TOKEN=(\S+)/, 90_000), run.output());
    const token = /export TOKEN=(\S+)/.exec(run.output())![1]!;
    const members = await fetch(`http://127.0.0.1:${env.QUERY_API_PORT}/v1/members`, { headers: { authorization: `Bearer ${token}` } });
    assert.is(members.status, 200);
    assert.ok(await ownPasswordWorks(context), 'npm start reset the query role\'s password');
  } finally {
    assert.is(await run.stop(), '0', run.output());
  }
});

start.run();
