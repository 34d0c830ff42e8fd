import pg from 'pg';

// bigint columns stay strings by default; counts and positions fit a JS number, so parse them.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** What a request may wait for one statement: past it, the route answers 503 (problem.ts), never hangs. */
export const apiStatementTimeoutMs = 5_000;
/** Workers (projections, rebuilds) apply large batches and wait their turn on a projection's lock. */
export const workerStatementTimeoutMs = 120_000;

export type PoolOptions = {
  connectionString: string;
  max?: number;
  applicationName: string;
  /** Server-side statement_timeout of every connection; 0 turns it off. Default: apiStatementTimeoutMs. */
  statementTimeoutMs?: number;
  /**
   * idle_in_transaction_session_timeout: a transaction left open (a crashed handler, a client
   * awaiting something else mid-transaction) is ended and its locks freed. Default 10 s.
   */
  idleInTransactionTimeoutMs?: number;
};

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    // Sent in the startup packet, so they hold for every statement of every connection, and a
    // session that needs longer (migrations) changes its own with SET.
    statement_timeout: options.statementTimeoutMs ?? apiStatementTimeoutMs,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 10_000,
    // Instants are read as text in this style (utc-instant.ts), as pg's own Date parser expects:
    // a server or role configured otherwise must not change what the reads see. Added to PGOPTIONS,
    // which pg reads only while this is unset. (A connection string with options of its own
    // replaces both; utc-instant.ts then refuses other styles.)
    options: [process.env.PGOPTIONS, '-c DateStyle=ISO'].filter(Boolean).join(' '),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Nor must a checked-out one (pg-pool listens only to idle clients): a connection ended by the
  // server mid-transaction (idle_in_transaction_session_timeout, pg_terminate_backend, a restart)
  // emits 'error' on its client, which would be thrown as uncaught. The query in flight rejects
  // with the error all the same, and the pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
