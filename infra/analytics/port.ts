/**
 * The analytics database (ClickHouse) as the projectors and the query API use it: statements,
 * batched inserts and parameterised reads. Parameters are bound by the server (`{name:Type}` in
 * the SQL), never spliced into it.
 */
export type AnalyticsStore = {
  /** A ClickHouse server (access control, row policies) or chDB in this process (neither). */
  readonly engine: 'server' | 'embedded';
  command(sql: string, params?: Record<string, unknown>): Promise<void>;
  /** One insert of many rows (JSONEachRow): ClickHouse wants few large inserts, not many small ones. */
  insert(table: string, rows: Record<string, unknown>[]): Promise<void>;
  /** `settings` apply to this query only (limits, the tenant of a row policy), never to the next. */
  query<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>, settings?: QuerySettings): Promise<T[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
};

/** ClickHouse settings by name (max_execution_time, max_memory_usage, SQL_tenant_id…). */
export type QuerySettings = Record<string, string | number>;

/** A ClickHouse server (distributed mode), or the in-process engine of the chdb package on a data directory (embedded mode, tests). */
export type AnalyticsTarget = { url: string } | { embeddedPath: string };
