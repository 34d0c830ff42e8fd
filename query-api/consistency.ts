import type { FastifyRequest } from 'fastify';
import { idleWhile } from '../infra/http/load-shedding';
import { HttpProblem, validationProblem } from '../infra/http/problem';

/** Runs a pure wait (no query, no CPU) without holding the request's place in the in-flight bound. */
export type Idle = <T>(waiting: Promise<T>) => Promise<T>;

/**
 * Where the read models stand, as the query API can see it (read-model-progress.ts): `waitFor`
 * resolves once the projections have applied `position`, one of the tenant's events, and throws
 * one of the problems below otherwise. Only the wait itself goes through `idle`: the position's
 * lookup is a query and the waiter bound a check, both done while the request holds its place.
 */
export type ReadModelProgress = {
  waitFor: (tenantId: string, position: number, timeoutMs: number, idle?: Idle) => Promise<void>;
};

const header = 'X-Consistency-Position';

/**
 * A position the caller cannot have received for this tenant: another tenant's event, no event at
 * all, or beyond the log's head. Refused at once rather than waited on (it would never be reached
 * for this tenant), and the same answer for all three, so that it tells nothing of other tenants.
 */
export const notATenantPosition = (position: number) => new HttpProblem(400, 'invalid-consistency-position', 'Bad request',
  `Position ${position} is not one of this tenant's events.`, [{ path: header, message: 'not the position of one of this tenant\'s events' }]);

/** The bound passed: the caller may retry, the projections are behind. */
export const consistencyTimeout = (position: number, timeoutMs: number) => new HttpProblem(503, 'consistency-timeout', 'Service unavailable',
  `The read models have not reached position ${position} within ${timeoutMs} ms; retry.`, undefined, { 'Retry-After': '1' });

/** Too many of the tenant's requests already wait for the projections: one tenant cannot hold them all. */
export const consistencyOverloaded = () => new HttpProblem(503, 'consistency-overloaded', 'Service unavailable',
  'Too many of this tenant\'s requests wait for the read models; retry shortly.', undefined, { 'Retry-After': '1' });

/**
 * Read-your-writes: with `X-Consistency-Position: <position>` (from a command's response) the
 * request waits, bounded, until the read models have applied that position.
 */
export async function awaitConsistency(progress: ReadModelProgress, tenantId: string, request: FastifyRequest, timeoutMs: number) {
  const value = request.headers['x-consistency-position'];
  if (value === undefined) return;
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value.trim())) {
    throw validationProblem([{ path: header, message: 'expected a position from a command response' }]);
  }
  // Waiting costs nothing the in-flight bound protects (the waiters have their own bound); the
  // lookup of the position before it is a query on the pool, and holds the request's place.
  await progress.waitFor(tenantId, Number(value), timeoutMs, (waiting) => idleWhile(request, waiting));
}
