/**
 * In-memory token buckets, one per key (a tenant): `ratePerSecond` sustained, `burst` at once.
 * Embedded mode's limiter; a Redis-backed one will share the same shape for several processes.
 */
export type RateLimiter = { take: (key: string) => { allowed: true } | { allowed: false; retryAfterSeconds: number } };

export function createTokenBucketLimiter(options: { ratePerSecond: number; burst: number; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; updatedAt: number }>();
  return {
    take(key) {
      const at = now();
      const bucket = buckets.get(key) ?? { tokens: options.burst, updatedAt: at };
      bucket.tokens = Math.min(options.burst, bucket.tokens + ((at - bucket.updatedAt) / 1000) * options.ratePerSecond);
      bucket.updatedAt = at;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / options.ratePerSecond)) };
    },
  };
}
