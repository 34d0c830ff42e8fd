import type { Redis } from '../redis/redis-client';
import { decide, withinCap, type RateLimit, type RateLimitCap, type RateLimiter } from './port';
import { createTokenBucketLimiter } from './token-bucket';

/**
 * Takes `cost` from every bucket or from none, in one round trip, so that processes sharing Redis
 * never both take the last tokens. The buckets are the in-memory limiter's (what was spent, when,
 * at what rate), and the clock is Redis's, so every process agrees on it. It returns what each
 * bucket had spent before this request, exactly (%.17g), for port.ts's `decide` to reach the same
 * verdict in TypeScript. A bucket expires once it has drained: an absent bucket is a full one.
 * KEYS: the buckets; ARGV: cost, then each bucket's tokens per second and capacity.
 */
const takeScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local cost = tonumber(ARGV[1])
local spent, charges, allowed = {}, {}, true
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[2 * i + 1])
  local bucket = redis.call('HMGET', key, 's', 'u', 'r')
  local s = 0
  if bucket[1] then
    s = math.max(0, tonumber(bucket[1]) - math.max(0, now - tonumber(bucket[2])) / 1000 * tonumber(bucket[3]))
  end
  spent[i] = s
  charges[i] = math.min(math.max(1, cost), capacity)
  if capacity - s < charges[i] then allowed = false end
end
if allowed then
  for i, key in ipairs(KEYS) do
    local perSecond = tonumber(ARGV[2 * i])
    local s = spent[i] + charges[i]
    redis.call('HSET', key, 's', string.format('%.17g', s), 'u', now, 'r', ARGV[2 * i])
    redis.call('PEXPIRE', key, math.ceil(s / perSecond * 1000) + 1000)
  end
end
local reply = {}
for i = 1, #KEYS do reply[i] = string.format('%.17g', spent[i]) end
return reply
`;

type WithTakeCommand = { takeRateLimitTokens: (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<string[]> };

/** While Redis is failing, it is asked again at most this often; the other requests go to this process's buckets. */
const defaultRetryMs = 1_000;

/**
 * The distributed mode's limiter (DESIGN §12): every process shares its buckets through Redis.
 * When Redis fails or times out (createRedisClient's 1 s bound) it answers from this process's own
 * buckets (limits per process, never a 5xx), says so once per outage to `onError`, and goes back to
 * Redis as soon as Redis answers again.
 */
export function createRedisRateLimiter(redis: Redis, options: RateLimitCap & {
  onError?: (error: unknown) => void;
  retryMs?: number;
  now?: () => number;
}): RateLimiter {
  const now = options.now ?? Date.now;
  const retryMs = options.retryMs ?? defaultRetryMs;
  const fallback = createTokenBucketLimiter(options);
  redis.defineCommand('takeRateLimitTokens', { lua: takeScript });
  const client = redis as unknown as WithTakeCommand;
  let failing = false;
  let nextAttemptAt = 0;

  async function takeShared(limits: RateLimit[], cost: number) {
    const args = limits.flatMap((limit) => [String(limit.perSecond), String(limit.capacity)]);
    const spent = await client.takeRateLimitTokens(limits.length, ...limits.map((limit) => `ratelimit:${limit.key}`), String(cost), ...args);
    return decide(limits, cost, limits.map((limit, i) => limit.capacity - Number(spent[i])));
  }

  return {
    async take(asked, cost) {
      if (failing && now() < nextAttemptAt) return fallback.take(asked, cost);
      // One request probes Redis; those arriving meanwhile do not wait on it.
      nextAttemptAt = now() + retryMs;
      try {
        const decision = await takeShared(asked.map((limit) => withinCap(limit, options)), cost);
        failing = false;
        return decision;
      } catch (error) {
        if (!failing) options.onError?.(error);
        failing = true;
        nextAttemptAt = now() + retryMs;
        return fallback.take(asked, cost);
      }
    },
  };
}
