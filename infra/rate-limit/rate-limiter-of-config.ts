import { createRedisClient } from '../redis/redis-client';
import type { RateLimiter } from './port';
import { createRedisRateLimiter } from './redis-rate-limiter';
import { createTokenBucketLimiter } from './token-bucket';

/** RATE_LIMIT_PER_SECOND as the cap on every bucket: that rate sustained, bursts of twice it. */
export const operatorCapOf = (perSecond: number) => ({ ratePerSecond: perSecond, burst: perSecond * 2 });

/**
 * An API process's limiter (DESIGN §3, §12): shared through Redis when REDIS_URL is set, otherwise
 * this process's own buckets. RATE_LIMIT_PER_SECOND is the cap on every bucket; bursts of twice it.
 */
export function rateLimiterOfConfig(config: { RATE_LIMIT_PER_SECOND: number; REDIS_URL?: string | undefined }, name: string): {
  limiter: RateLimiter; close: () => Promise<void>;
} {
  const cap = operatorCapOf(config.RATE_LIMIT_PER_SECOND);
  if (!config.REDIS_URL) return { limiter: createTokenBucketLimiter(cap), close: async () => undefined };
  const client = createRedisClient(config.REDIS_URL, { name, onError: (error) => console.error(`Redis (${name}):`, error.message) });
  const limiter = createRedisRateLimiter(client, { ...cap,
    onError: (error) => console.error(`${name}: Redis failed, limiting per process until it answers again:`, error instanceof Error ? error.message : error) });
  return { limiter, close: async () => void (await client.quit().catch(() => client.disconnect())) };
}
