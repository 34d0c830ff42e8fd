import { randomBytes } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findFreePort } from '../infra/postgres/free-port';
import { withCredentials } from '../infra/postgres/connection-url';
import { createPool } from '../infra/postgres/pool';
import { createTestDatabase, testQueryRole, type TestDatabase } from '../infra/postgres/test-database';
import { refusePrivilegedQueryRole } from '../infra/read-models/refuse-privileged-role';
import { buildEmbeddedPlatform } from '../scripts/platform/build-platform';
import { testJwtSecret } from './platform-harness';
import { runScript } from './run-script';
import { until } from './until';

type Context = { database: TestDatabase; roles: string[]; suffix: string };
const check = suite<Context>('the query API refuses a privileged database role');
const password = 'role-check-password';

check.before(async (context) => {
  context.database = await createTestDatabase();
  context.roles = [];
  context.suffix = randomBytes(4).toString('hex');
});

check.after(async (context) => {
  await context.database.drop();
  const admin = createPool({ connectionString: process.env.TEST_DATABASE_URL!, max: 1, applicationName: 'tests' });
  for (const role of context.roles) await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.end();
});

/** A login role of this test (roles are server-wide: each name is unique to the run). */
async function loginRole(context: Context, name: string, attributes = '') {
  const role = `${name}_${context.suffix}`;
  await context.database.pool.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}' ${attributes}`);
  context.roles.push(role);
  return role;
}

async function verdict(url: string): Promise<string> {
  const pool = createPool({ connectionString: url, max: 1, applicationName: 'tests' });
  try {
    await refusePrivilegedQueryRole(pool);
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await pool.end();
  }
}

const as = (context: Context, role: string) => withCredentials(context.database.url, role, password);

check('the query role the migrations create is accepted', async ({ database }) => {
  assert.is(await verdict(database.queryUrl), 'accepted');
});

check('a superuser is refused', async ({ database }) => {
  assert.match(await verdict(database.url), /Refusing to start: the query API's database role ".+" is a superuser/);
});

check('a role with BYPASSRLS is refused', async (context) => {
  const role = await loginRole(context, 'bypass', 'BYPASSRLS');
  assert.match(await verdict(as(context, role)), new RegExp(`"${role}" has BYPASSRLS`));
});

check('the owner of a read-model table is refused, and so is a member of that owner', async (context) => {
  const owner = await loginRole(context, 'owner');
  await context.database.pool.query(`ALTER TABLE rm_members OWNER TO ${owner}`);
  assert.match(await verdict(as(context, owner)), /owns the read-model tables rm_members/);
  const member = await loginRole(context, 'member');
  await context.database.pool.query(`GRANT ${owner} TO ${member}`);
  assert.match(await verdict(as(context, member)), /owns the read-model tables rm_members/);
});

check('query-api/main.ts exits on a superuser connection, and serves on the query role', async ({ database }) => {
  const port = String(await findFreePort());
  const env = { JWT_SECRET: testJwtSecret, QUERY_API_PORT: port, QUERY_DB_ROLE: testQueryRole.queryRole };
  const refused = runScript('query-api/main.ts', [], { ...env, QUERY_DATABASE_URL: database.url });
  assert.not.match(await refused.exitWithin(30_000), /^0$|still running/, refused.output());
  assert.match(refused.output(), /Refusing to start: .* is a superuser/);
  const serving = runScript('query-api/main.ts', [], { ...env, QUERY_DATABASE_URL: database.queryUrl });
  try {
    await until(() => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false), 'the query API', 30_000);
  } finally {
    assert.is(await serving.stop(), '0', serving.output());
  }
});

check('the embedded platform refuses a superuser query connection too', async ({ database }) => {
  const built = buildEmbeddedPlatform({
    databaseUrl: database.url, queryDatabaseUrl: database.url, ...testQueryRole, jwtSecret: testJwtSecret,
    consistencyTimeoutMs: 1000, logger: false, rateLimitPerSecond: 100,
  });
  const error = await built.then(async (platform) => {
    await platform.close();
    return undefined;
  }, (e: Error) => e);
  assert.match(error?.message ?? 'it started', /is a superuser/);
});

check.run();
