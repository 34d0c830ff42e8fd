import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readerAccessStatements } from './access/reader-access';
import type { AnalyticsStore } from './port';

const migrationsDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Applies the numbered SQL files of `migrations/` once each, in order, as PostgreSQL's migrations
 * are. ClickHouse runs one statement per request and has no transactions, so each statement is
 * written to be repeatable (IF NOT EXISTS, CREATE OR REPLACE VIEW): a migration cut short is
 * completed by the next start. Two processes migrating at once is not expected: in distributed
 * mode only the projectors migrate ClickHouse.
 *
 * On a server, the readers' access (role, limits, grants, row policies: access/reader-access.ts)
 * is applied after the migrations on every run, so that it covers the tables as they now are.
 * chDB has no access control to apply it to.
 */
export async function migrateAnalytics(store: AnalyticsStore) {
  await store.command(`CREATE TABLE IF NOT EXISTS analytics_schema_migrations (
    name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplacingMergeTree ORDER BY name`);
  const applied = new Set((await store.query<{ name: string }>('SELECT name FROM analytics_schema_migrations FINAL')).map((r) => r.name));
  const files = (await readdir(migrationsDirectory)).filter((f) => f.endsWith('.sql')).sort();
  for (const file of files.filter((f) => !applied.has(f))) {
    const text = await readFile(path.join(migrationsDirectory, file), 'utf8');
    for (const statement of splitStatements(text)) {
      try {
        await store.command(statement);
      } catch (error) {
        throw new Error(`Analytics migration ${file} failed: ${(error as Error).message}`);
      }
    }
    await store.insert('analytics_schema_migrations', [{ name: file }]);
  }
  if (store.engine === 'server') await applyReaderAccess(store);
}

async function applyReaderAccess(store: AnalyticsStore) {
  const [{ database }] = await store.query<{ database: string }>('SELECT currentDatabase() AS database') as [{ database: string }];
  for (const statement of readerAccessStatements(database)) {
    try {
      await store.command(statement);
    } catch (error) {
      throw new Error(`Analytics reader access failed (${statement.split('\n')[0]}): ${(error as Error).message}`);
    }
  }
}

/** Statements end with `;` at the end of a line; `--` comment lines are dropped. */
export function splitStatements(text: string): string[] {
  return text.split('\n').filter((line) => !line.trimStart().startsWith('--')).join('\n')
    .split(/;\s*$/m).map((s) => s.trim()).filter((s) => s.length > 0);
}
