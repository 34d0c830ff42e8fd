/**
 * Errors that say nothing about the events being applied: the database went away, restarted, ran
 * out of connections, or chose this transaction as a deadlock or serialisation victim. Retrying the
 * same work later succeeds; counting them towards "poison" would dead-letter good events.
 * SQLSTATE classes: 08 connection exception, 40 transaction rollback (deadlock, serialisation),
 * 53 insufficient resources, 57 operator intervention (shutdown, cancel).
 */
const transientSqlStateClasses = new Set(['08', '40', '53', '57']);
const transientSocketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const transientMessages = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error/i];

export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return transientSqlStateClasses.has(code.slice(0, 2));
  if (typeof code === 'string' && transientSocketCodes.has(code)) return true;
  return transientMessages.some((pattern) => pattern.test(error.message));
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
