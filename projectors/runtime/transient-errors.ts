import { hasSqlState, isTransientPostgresError } from '../../infra/postgres/error-kinds';

/**
 * ClickHouse (through @clickhouse/client, whose ClickHouseError carries the server's numeric
 * `code` and its `type`): a server error is transient, as its timeouts, overloads, lost replicas
 * and restarts are, unless it is about the rows sent, which inserting again cannot mend. A
 * projection's own bug (unknown column, bad SQL) is transient too: it stalls the projection, with
 * its errors logged, instead of dead-lettering every event until it is fixed.
 */
const clickHouseDataErrors = [
  /^CANNOT_PARSE_/, /^CANNOT_READ_/, /^TYPE_MISMATCH$/, /^INCORRECT_DATA$/, /^ILLEGAL_TYPE_OF_ARGUMENT$/, /^CANNOT_CONVERT_TYPE$/,
  /^VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE$/, /^CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN$/, /^TOO_LARGE_STRING_SIZE$/,
  /^INCORRECT_NUMBER_OF_COLUMNS$/, /^DECIMAL_OVERFLOW$/, /^ARGUMENT_OUT_OF_BOUND$/, /^UNKNOWN_FIELD$/,
];
// The client's own request timeout, and what a proxy in front of the server answers (HTML, no ClickHouse code).
const clickHouseTransportMessages = [/^Timeout error\.?$/, /socket hang up/i, /\b50[0234]\b.*(Bad Gateway|Service (Temporarily )?Unavailable|Gateway Time-?out|Internal Server Error)/is];

/**
 * Errors that say nothing about the events being applied: the database went away, restarted, ran
 * out of connections, timed the statement out, or chose this transaction as a deadlock or
 * serialisation victim (infra/postgres/error-kinds.ts decides which). Retrying the same work later
 * succeeds; counting them towards "poison" would dead-letter good events. ClickHouse: see above.
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (isTransientPostgresError(error)) return true;
  if (hasSqlState(error)) return false;
  const { code, type } = error as { code?: unknown; type?: unknown };
  if (typeof code === 'string' && /^\d{1,4}$/.test(code) && typeof type === 'string') {
    return !clickHouseDataErrors.some((pattern) => pattern.test(type));
  }
  return clickHouseTransportMessages.some((pattern) => pattern.test(error.message));
}

/**
 * Runs `work`, and again after a growing pause (to 2 s) while it fails transiently, for up to
 * `giveUpAfterMs`; then, or on any other error, the error is thrown.
 */
export async function retryWhileTransient<T>(work: () => Promise<T>, options: { giveUpAfterMs?: number; onRetry?: (error: unknown) => void } = {}): Promise<T> {
  const deadline = Date.now() + (options.giveUpAfterMs ?? 60_000);
  for (let pause = 100; ; pause = Math.min(pause * 2, 2_000)) {
    try {
      return await work();
    } catch (error) {
      if (!isTransientError(error) || Date.now() + pause > deadline) throw error;
      options.onRetry?.(error);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
