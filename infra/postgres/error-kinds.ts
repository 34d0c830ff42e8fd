/**
 * What a PostgreSQL (node-postgres) error says about the database rather than about the work: the
 * one place that decides it, for the HTTP answers (infra/http/problem.ts) and the projections'
 * retries (projectors/runtime/transient-errors.ts).
 */

const codeOf = (error: unknown) => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : '';
};

/** A SQLSTATE: five digits or capitals, the first two its class (a socket code such as EPIPE is not one). */
const isSqlState = (code: string) => /^[0-9A-Z]{5}$/.test(code) && !socketCodes.has(code);

const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
// node-postgres's own words when the pool cannot connect or the connection dies under a query.
const connectionMessages = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i];

/**
 * statement_timeout (57014) and idle_in_transaction_session_timeout (25P03), set on every pool
 * (pool.ts): the statement was cancelled and its transaction rolled back.
 */
export function isStatementTimeout(error: unknown) {
  return ['57014', '25P03'].includes(codeOf(error));
}

/**
 * The database cannot be reached or will not serve now: the socket failed, class 08 (connection
 * exception), class 53 (insufficient resources: too many connections, out of memory or disk),
 * 57P01-57P03 (shutdown, crash, cannot connect now).
 */
export function isDatabaseUnavailable(error: unknown) {
  const code = codeOf(error);
  if (socketCodes.has(code)) return true;
  if (isSqlState(code)) return ['08', '53'].includes(code.slice(0, 2)) || ['57P01', '57P02', '57P03'].includes(code);
  return connectionMessages.some((pattern) => pattern.test((error as Error | undefined)?.message ?? ''));
}

/**
 * Retrying the same work later succeeds: the database was unavailable, timed the statement out,
 * or chose the transaction as a victim (class 40: deadlock, serialisation failure) or cancelled it
 * (class 57). Errors of the work itself (bad data, a missing table) are not.
 */
export function isTransientPostgresError(error: unknown) {
  const code = codeOf(error);
  return isDatabaseUnavailable(error) || isStatementTimeout(error) || (isSqlState(code) && ['40', '57'].includes(code.slice(0, 2)));
}

/** Whether the error carries a SQLSTATE at all: then PostgreSQL, not the code around it, has the last word. */
export const hasSqlState = (error: unknown) => isSqlState(codeOf(error));
