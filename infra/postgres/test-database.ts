import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { migrate } from './migrate';
import { withCredentials, withDatabase } from './connection-url';
import { createPool, workerStatementTimeoutMs } from './pool';

export type TestDatabase = { url: string; queryUrl: string; pool: Pool; drop: () => Promise<void> };

export const testQueryRole = { queryRole: 'membership_query', queryRolePassword: 'membership_query' };

/**
 * A fresh, migrated database on the test server (`TEST_DATABASE_URL`, set by scripts/test.ts), so
 * that each test file starts from nothing and files never see each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`');
  const name = `test_${randomBytes(6).toString('hex')}`;
  // Tests' own set-up (CREATE DATABASE, bulk inserts) on a busy machine may outlast an API's timeout.
  const admin = createPool({ connectionString: serverUrl, max: 1, applicationName: 'tests', statementTimeoutMs: workerStatementTimeoutMs });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl, name);
  const pool = createPool({ connectionString: url, max: 60, applicationName: 'tests', statementTimeoutMs: workerStatementTimeoutMs });
  await migrate(pool, testQueryRole);
  const queryUrl = withCredentials(url, testQueryRole.queryRole, testQueryRole.queryRolePassword);
  return {
    url,
    queryUrl,
    pool,
    drop: async () => {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
