import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withCredentials, withDatabase } from '../infra/postgres/connection-url';
import { migrate } from '../infra/postgres/migrate';
import { createPool } from '../infra/postgres/pool';
import { PrivilegedQueryRoleError, refusePrivilegedQueryRole } from '../infra/read-models/refuse-privileged-role';

/** The SQL docker-compose.yml's postgres-owner init script runs (between <<'SQL' and SQL). */
async function ownerInitSql(): Promise<string> {
  const compose = await readFile('docker-compose.yml', 'utf8');
  const body = /<<'SQL'\n([\s\S]*?)\n\s*SQL\n/.exec(compose)?.[1];
  if (!body) throw new Error('docker-compose.yml has no postgres-owner script');
  return body.split('\n').map((line) => line.trim()).join('\n');
}

/** rm_members rows the pool's role sees with the request's tenant set, as the query API reads. */
async function membersSeenAs(pool: ReturnType<typeof createPool>, tenantId: string): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    return (await client.query('SELECT count(*)::int AS n FROM rm_members')).rows[0].n;
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

// docker-compose.yml's roles connect to PostgreSQL as the owner its init script creates, not as
// the superuser: that owner must be able to run every migration (create the query role, enable
// row-level security) and the query role must then read under it.
test("the compose owner role (not a superuser) runs the migrations, and the query role it creates reads under RLS", async () => {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`');
  const suffix = randomBytes(4).toString('hex');
  const [database, owner, queryRole] = [`owner_${suffix}`, `owner_${suffix}`, `query_${suffix}`];
  const [ownerPassword, queryPassword] = ['owner-password', 'query-password'];
  const admin = createPool({ connectionString: serverUrl, max: 1, applicationName: 'tests' });
  await admin.query(`CREATE DATABASE ${database}`);
  const superuserThere = createPool({ connectionString: withDatabase(serverUrl, database), max: 1, applicationName: 'tests' });
  const ownerUrl = withCredentials(withDatabase(serverUrl, database), owner, ownerPassword);
  const ownerPool = createPool({ connectionString: ownerUrl, max: 2, applicationName: 'tests' });
  const queryPool = createPool({ connectionString: withCredentials(ownerUrl, queryRole, queryPassword), max: 1, applicationName: 'tests' });
  try {
    const sql = (await ownerInitSql()).replaceAll('membership_owner', owner)
      .replace('ALTER DATABASE membership ', `ALTER DATABASE ${database} `).replace(":'owner_password'", `'${ownerPassword}'`);
    await superuserThere.query(sql);
    const { rows: [me] } = await ownerPool.query('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user');
    assert.equal(me, { rolsuper: false, rolbypassrls: false });
    await migrate(ownerPool, { queryRole, queryRolePassword: queryPassword });
    const { rows: [tables] } = await ownerPool.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user");
    assert.ok(tables.n > 5, 'the owner owns the tables it created');
    // The query API's start-up check passes on this role, and refuses the owner it would bypass RLS as.
    await refusePrivilegedQueryRole(queryPool);
    const refused = await refusePrivilegedQueryRole(ownerPool).then(() => undefined, (error: unknown) => error);
    assert.instance(refused, PrivilegedQueryRoleError);
    // Another tenant's member, written as the projectors write (the owner): the query role must
    // not see it as this tenant, and must see it as its own (so the 0 is the policy, not an empty table).
    const [mine, theirs] = ['0190c000-0000-7000-8000-000000000001', '0190c000-0000-7000-8000-000000000002'];
    await ownerPool.query(`INSERT INTO rm_members (tenant_id, member_id, email, first_name, last_name, status, created_at, updated_at, revision)
      VALUES ($1, gen_random_uuid(), 'other@example.org', 'Other', 'Tenant', 'active', now(), now(), 0)`, [theirs]);
    assert.equal(await membersSeenAs(queryPool, mine), 0);
    assert.equal(await membersSeenAs(queryPool, theirs), 1);
  } finally {
    await Promise.all([queryPool.end(), ownerPool.end(), superuserThere.end()]);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${queryRole}`);
    await admin.query(`DROP ROLE IF EXISTS ${owner}`);
    await admin.end();
  }
});

test.run();
