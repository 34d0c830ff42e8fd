import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { AnalyticsStore, AnalyticsTarget } from './port';

/**
 * The analytics store on `@clickhouse/client`: against a server at `url` (its path names the
 * database, its user part the credentials: http://user:password@127.0.0.1:8123/analytics), or in-process on chDB through the client's
 * connection hook (`chdb/connection`). chDB binds one data directory per process, and its
 * connection ignores the client's `database`: embedded, the tables live in the directory's
 * `default` database, which the directory keeps to itself.
 */
export async function createClickHouseStore(target: AnalyticsTarget): Promise<AnalyticsStore> {
  const client = 'url' in target ? serverClient(target.url) : await embeddedClient(target.embeddedPath);
  return wrap(client);
}

/** http(s)://[user:password@]host:port/database: credentials and database are taken out of the URL. */
export function serverOptions(url: string) {
  const parsed = new URL(url);
  const options = {
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'default',
    username: decodeURIComponent(parsed.username) || 'default',
    password: decodeURIComponent(parsed.password),
  };
  parsed.pathname = '/';
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), ...options };
}

function serverClient(url: string): ClickHouseClient {
  return createClient({
    ...serverOptions(url), request_timeout: 60_000,
    // Numbers as numbers: counts and cents fit a double; the server would quote 64-bit integers.
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
}

async function embeddedClient(path: string): Promise<ClickHouseClient> {
  // Loaded only when used: the engine is a large native library the server mode never needs.
  const { createChdbConnection } = await import('chdb/connection');
  return createClient({ connection: createChdbConnection({ path }) as never });
}

function wrap(client: ClickHouseClient): AnalyticsStore {
  return {
    async command(sql, params) {
      await client.command({ query: sql, query_params: params });
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      await client.insert({ table, values: rows, format: 'JSONEachRow' });
    },
    async query<T>(sql: string, params?: Record<string, unknown>) {
      const result = await client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
      return result.json<T>();
    },
    async ping() {
      const result = await client.ping();
      if (!result.success) throw result.error;
    },
    close: () => client.close(),
  };
}
