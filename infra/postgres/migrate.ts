import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'pg';

const migrationsDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Any constant: serialises migrations of several processes starting at once. */
const migrationLockKey = 7_241_001;

/**
 * Applies the numbered SQL files of `migrations/` once each, in order, each in its own transaction.
 * `{{query_role}}` in a file is replaced by the name of the query API's role (validated by the
 * config as a plain identifier), whose password is then set to the configured one. Roles that do
 * not know that password (publisher, projectors) pass none: a role they create gets a random one,
 * an existing one keeps its own, and the command API sets the configured one when it starts.
 */
export async function migrate(pool: Pool, options: { queryRole: string; queryRolePassword?: string }) {
  const creationPassword = options.queryRolePassword ?? randomBytes(24).toString('base64url');
  const client = await pool.connect();
  try {
    // Waiting for another process's migrations and building indexes may outlast the pool's
    // statement timeout (infra/postgres/pool.ts); the finally gives the connection back as it was.
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Set((await client.query('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    const files = (await readdir(migrationsDirectory)).filter((f) => f.endsWith('.sql')).sort();
    for (const file of files.filter((f) => !applied.has(f))) {
      const text = (await readFile(path.join(migrationsDirectory, file), 'utf8'))
        .replaceAll('{{query_role}}', options.queryRole)
        .replaceAll('{{query_role_password}}', creationPassword.replaceAll("'", "''"));
      await client.query('BEGIN');
      try {
        await client.query(text);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${file} failed: ${(error as Error).message}`);
      }
    }
    // The configured password is authoritative: a role created earlier with another one still works.
    if (options.queryRolePassword !== undefined) {
      await client.query(`ALTER ROLE ${options.queryRole} PASSWORD ${client.escapeLiteral(options.queryRolePassword)}`);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    await client.query('RESET statement_timeout').catch(() => undefined);
    client.release();
  }
}
