import { Redis } from 'ioredis';

/**
 * A Redis connection for the distributed mode's shared state (rate limits, cache, live updates,
 * stream tickets). It fails fast instead of queueing while Redis is unreachable: every caller has
 * a fallback (DESIGN §12, "Redis down, platform up"), and a command queued for seconds would turn
 * an outage of Redis into slow requests of ours. It reconnects on its own, for ever.
 */
export function createRedisClient(url: string, options: { name: string }): Redis {
  const client = new Redis(url, {
    connectionName: options.name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
  });
  // Errors are told through the callers' failed commands; an 'error' without a listener would crash.
  client.on('error', () => undefined);
  return client;
}

export type { Redis };
