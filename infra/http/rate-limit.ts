import type { FastifyReply } from 'fastify';
import { planRequestsPerMinute, type Plan } from '../../domain/tenant';
import type { RateLimit, RateLimitDecision, RateLimiter } from '../rate-limit/port';
import { HttpProblem } from './problem';

/**
 * One token subject (`sub`) may use this share of its tenant's rate: a runaway script or a leaked
 * token cannot starve the tenant's other users, while two busy clients together still reach the
 * tenant's whole rate.
 */
export const subjectShare = 0.5;

export type RateLimitedRequest = {
  tenantId: string;
  subject: string;
  /** The tenant's plan; unknown (tenant provisioning by the platform operator), the operator cap alone binds. */
  plan: Plan | undefined;
  /** The request's weight: 1, or its work (request-cost.ts on the command API). */
  cost: number;
};

/** The two buckets a request draws from: its tenant's, by plan, and its token subject's, a share of that. */
export function rateLimitsOf(request: Pick<RateLimitedRequest, 'tenantId' | 'subject' | 'plan'>): RateLimit[] {
  const perMinute = request.plan ? planRequestsPerMinute[request.plan] : Number.POSITIVE_INFINITY;
  const tenantKey = `tenant:${request.tenantId}`;
  return [
    { key: tenantKey, perSecond: perMinute / 60, capacity: perMinute },
    { key: `${tenantKey}:subject:${request.subject}`, perSecond: (perMinute * subjectShare) / 60, capacity: Math.floor(perMinute * subjectShare) },
  ];
}

function headersOf(decision: RateLimitDecision): Record<string, string> {
  return {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
  };
}

/**
 * Both APIs' limit, taken before the request does anything: every answer carries the RateLimit-*
 * headers of the tighter limit; over it, a 429 problem with Retry-After, and nothing done.
 */
export async function enforceRateLimit(limiter: RateLimiter, reply: FastifyReply, request: RateLimitedRequest) {
  const decision = await limiter.take(rateLimitsOf(request), request.cost);
  const headers = headersOf(decision);
  reply.headers(headers);
  if (decision.allowed) return;
  throw new HttpProblem(429, 'rate-limited', 'Too many requests', 'This tenant or token is over its request rate; retry later.',
    undefined, { ...headers, 'Retry-After': String(decision.retryAfterSeconds) });
}
