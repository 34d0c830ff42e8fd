/**
 * The analytics database (ClickHouse) as the projectors and the query API use it: statements,
 * batched inserts and parameterised reads. Parameters are bound by the server (`{name:Type}` in
 * the SQL), never spliced into it.
 */
export type AnalyticsStore = {
  command(sql: string, params?: Record<string, unknown>): Promise<void>;
  /** One insert of many rows (JSONEachRow): ClickHouse wants few large inserts, not many small ones. */
  insert(table: string, rows: Record<string, unknown>[]): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
};

/** A ClickHouse server (distributed mode), or the in-process engine of the chdb package on a data directory (embedded mode, tests). */
export type AnalyticsTarget = { url: string } | { embeddedPath: string };
