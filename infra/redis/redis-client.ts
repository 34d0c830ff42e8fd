import { Redis } from 'ioredis';

/**
 * A Redis connection for the distributed mode's shared state (rate limits, cache, live updates,
 * stream tickets). It fails fast instead of queueing while Redis is unreachable: every caller has
 * a fallback (DESIGN §12, "Redis down, platform up"), and a command queued for seconds would turn
 * an outage of Redis into slow requests of ours. It reconnects on its own, for ever.
 */
export function createRedisClient(url: string, options: { name: string; onError?: (error: Error) => void }): Redis {
  const client = new Redis(url, {
    connectionName: options.name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
  });
  // Callers learn of an outage through their failed commands; the first error after each connection
  // goes to onError, so that a wrong REDIS_URL or password is logged rather than silently served by
  // the per-process fallbacks. (An 'error' without a listener would crash the process.)
  let told = false;
  client.on('ready', () => { told = false; });
  client.on('error', (error: Error) => {
    if (told) return;
    told = true;
    options.onError?.(error);
  });
  return client;
}

export type { Redis };
