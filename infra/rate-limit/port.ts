/**
 * The rate-limit port both APIs take (DESIGN §12). A request draws `cost` tokens from every bucket
 * it names (its tenant's and its token subject's), from all of them or from none: a refused request
 * costs nothing. Adapters: in memory (token-bucket.ts, embedded) and Redis (redis-rate-limiter.ts).
 */
export type RateLimit = {
  /** The bucket: one per tenant, one per tenant and token subject. */
  key: string;
  /** Sustained refill, tokens per second. */
  perSecond: number;
  /** What the bucket holds when full: the most one burst may spend (RateLimit-Limit). */
  capacity: number;
};

/** For the tightest of the limits asked (IETF RateLimit header fields draft): what the headers say. */
export type RateLimitDecision = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until that bucket is full again. */
  resetSeconds: number;
  /** When refused: seconds until the request would pass; 0 when allowed. */
  retryAfterSeconds: number;
};

export type RateLimiter = { take: (limits: readonly RateLimit[], cost: number) => Promise<RateLimitDecision> };

/**
 * The operator-wide ceiling (RATE_LIMIT_PER_SECOND): whatever a plan allows, no bucket refills
 * faster than `ratePerSecond` or holds more than `burst`.
 */
export type RateLimitCap = { ratePerSecond: number; burst: number };

export const withinCap = (limit: RateLimit, cap: RateLimitCap): RateLimit => ({
  key: limit.key, perSecond: Math.min(limit.perSecond, cap.ratePerSecond), capacity: Math.min(limit.capacity, cap.burst),
});

/**
 * A request costing more than a bucket holds is charged the whole bucket: it waits for a full one
 * instead of being refused for ever (a 500-member bulk action on a small plan).
 */
export const chargeOf = (limit: RateLimit, cost: number) => Math.min(Math.max(1, cost), limit.capacity);

/**
 * The decision, from each bucket's tokens after refill and before this request (below zero for a
 * tenant whose plan was lowered under what it had spent); the adapters differ only in where the
 * buckets live, so they share this arithmetic.
 */
export function decide(limits: readonly RateLimit[], cost: number, tokens: readonly number[]): RateLimitDecision {
  const buckets = limits.map((limit, i) => ({ limit, tokens: tokens[i]!, charge: chargeOf(limit, cost) }));
  const refused = buckets.filter((b) => b.tokens < b.charge);
  const resetOf = (b: { limit: RateLimit }, left: number) => Math.max(0, Math.ceil((b.limit.capacity - left) / b.limit.perSecond));
  if (refused.length > 0) {
    const waitOf = (b: (typeof buckets)[number]) => (b.charge - b.tokens) / b.limit.perSecond;
    const worst = refused.reduce((a, b) => (waitOf(b) > waitOf(a) ? b : a));
    return { allowed: false, limit: worst.limit.capacity, remaining: Math.max(0, Math.floor(worst.tokens)), resetSeconds: resetOf(worst, worst.tokens),
      retryAfterSeconds: Math.max(1, Math.ceil(waitOf(worst))) };
  }
  const after = buckets.map((b) => ({ ...b, left: b.tokens - b.charge }));
  // The tighter limit is the one with the fewest requests left; on a tie, the smaller one.
  const tightest = after.reduce((a, b) => (Math.floor(b.left) < Math.floor(a.left)
    || (Math.floor(b.left) === Math.floor(a.left) && b.limit.capacity < a.limit.capacity) ? b : a));
  return { allowed: true, limit: tightest.limit.capacity, remaining: Math.floor(tightest.left), resetSeconds: resetOf(tightest, tightest.left),
    retryAfterSeconds: 0 };
}
