import { decide, chargeOf, withinCap, type RateLimitCap, type RateLimiter } from './port';

export type { RateLimiter } from './port';

/** Past this many buckets, refilled ones are dropped: a full bucket and no bucket are the same. */
const sweepAbove = 10_000;

/**
 * In-memory token buckets, one per key: embedded mode's limiter, and the Redis limiter's fallback
 * (per process) while Redis is down. `ratePerSecond` and `burst` are the operator's cap
 * (port.ts, RateLimitCap); each request names its own buckets' rates below it.
 *
 * A bucket keeps what was spent from it rather than what is left: when its tenant's plan changes,
 * the new capacity applies at once (an upgrade gives its headroom now, a downgrade leaves the tenant
 * over until it has drained).
 */
export function createTokenBucketLimiter(options: RateLimitCap & { now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { spent: number; updatedAt: number; perSecond: number }>();
  const drained = (bucket: { spent: number; updatedAt: number; perSecond: number }, at: number) =>
    Math.max(0, bucket.spent - (Math.max(0, at - bucket.updatedAt) / 1000) * bucket.perSecond);

  function sweep(at: number) {
    for (const [key, bucket] of buckets) if (drained(bucket, at) === 0) buckets.delete(key);
  }

  return {
    async take(asked, cost) {
      const at = now();
      if (buckets.size > sweepAbove) sweep(at);
      const limits = asked.map((limit) => withinCap(limit, options));
      const spent = limits.map((limit) => {
        const bucket = buckets.get(limit.key);
        return bucket ? drained(bucket, at) : 0;
      });
      const decision = decide(limits, cost, limits.map((limit, i) => limit.capacity - spent[i]!));
      if (decision.allowed) {
        limits.forEach((limit, i) => buckets.set(limit.key, { spent: spent[i]! + chargeOf(limit, cost), updatedAt: at, perSecond: limit.perSecond }));
      }
      return decision;
    },
  };
}
