import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { AnalyticsStore, AnalyticsTarget, QuerySettings } from './port';

/**
 * The analytics store on `@clickhouse/client`: against a server at `url` (its path names the
 * database, its user part the credentials: http://user:password@127.0.0.1:8123/analytics), or in-process on chDB through the client's
 * connection hook (`chdb/connection`), after a first session that starts the engine with its
 * configuration (embeddedEngineArguments). chDB binds one data directory per process, and its
 * connection ignores the client's `database`: embedded, the tables live in the directory's
 * `default` database, which the directory keeps to itself.
 */
export async function createClickHouseStore(target: AnalyticsTarget): Promise<AnalyticsStore> {
  if ('url' in target) {
    const client = serverClient(target.url);
    return wrap(client, 'server', () => client.close());
  }
  const { client, close } = await embeddedClient(target.embeddedPath);
  return wrap(client, 'embedded', close);
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

/**
 * Server configuration of the in-process engine, which shares the platform's memory (issue 10:
 * < 400 MB resident); after ClickHouse's `--` separator, what follows is server configuration, not
 * query settings (the server's own is in server-config/). ClickHouse keeps up to 1,000 idle threads in its global pool; the part
 * loading and cleaning pools it starts with left ~130 of them parked in the platform for good,
 * each with its stack and allocator caches (~50 MB). Idle threads beyond a few now exit.
 */
const embeddedEngineArguments = ['--', '--max_thread_pool_free_size=8'];

async function embeddedClient(path: string) {
  // Loaded only when used: the engine is a large native library the server mode never needs.
  const [{ Session }, { createChdbConnection }] = await Promise.all([import('chdb'), import('chdb/connection')]);
  // The engine starts with the first connection to its directory and takes its configuration from
  // that connection's arguments; the client's connection, opened after, shares that engine.
  const engine = new Session(path, { connectionArgs: embeddedEngineArguments });
  let client: ClickHouseClient;
  try {
    client = createClient({ connection: createChdbConnection({ path }) as never });
  } catch (error) {
    engine.close();
    throw error;
  }
  const close = async () => {
    try {
      await client.close();
    } finally {
      engine.close();
    }
  };
  return { client, close };
}

function wrap(client: ClickHouseClient, engine: AnalyticsStore['engine'], close: () => Promise<void>): AnalyticsStore {
  return {
    engine,
    async command(sql, params) {
      await client.command({ query: sql, query_params: params });
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      await client.insert({ table, values: rows, format: 'JSONEachRow' });
    },
    async query<T>(sql: string, params?: Record<string, unknown>, settings?: QuerySettings) {
      // A server takes them as request parameters, for this request only. chDB's connection would
      // turn them into SET statements that stay on its one session (every later query, the
      // projectors' too, would inherit them), so there they go in the query's own SETTINGS clause.
      const result = engine === 'server'
        ? await client.query({ query: sql, query_params: params, format: 'JSONEachRow', clickhouse_settings: settings })
        : await client.query({ query: withSettingsClause(sql, settings), query_params: params, format: 'JSONEachRow' });
      return result.json<T>();
    },
    async ping() {
      const result = await client.ping();
      if (!result.success) throw result.error;
    },
    close,
  };
}

/** `sql` with `SETTINGS name = value, …` appended (it must have no SETTINGS clause of its own). */
export function withSettingsClause(sql: string, settings: QuerySettings | undefined): string {
  const entries = Object.entries(settings ?? {});
  if (entries.length === 0) return sql;
  const assignments = entries.map(([name, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Invalid ClickHouse setting name: ${name}`);
    return `${name} = ${typeof value === 'number' ? value : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`}`;
  });
  return `${sql}\nSETTINGS ${assignments.join(', ')}`;
}
