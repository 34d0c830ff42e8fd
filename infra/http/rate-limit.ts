import type { RateLimiter } from '../rate-limit/token-bucket';
import { HttpProblem } from './problem';

/** Per-tenant limit on both APIs: over it, a 429 problem with Retry-After, and nothing done. */
export function enforceRateLimit(limiter: RateLimiter, tenantId: string) {
  const decision = limiter.take(tenantId);
  if (decision.allowed) return;
  throw new HttpProblem(429, 'rate-limited', 'Too many requests', 'This tenant is over its request rate; retry later.',
    undefined, { 'Retry-After': String(decision.retryAfterSeconds) });
}
