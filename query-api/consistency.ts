import type { FastifyRequest } from 'fastify';
import { HttpProblem, validationProblem } from '../infra/http/problem';

/**
 * Where the read models stand, as the query API can see it. `check` prepares, for one request, a
 * test of whether the projections have applied `position`, one of the tenant's events (how that is
 * known differs between the in-process bus and Kafka, see read-model-progress.ts).
 */
export type ReadModelProgress = {
  check: (tenantId: string, position: number) => Promise<() => Promise<boolean>>;
};

/**
 * Read-your-writes: with `X-Consistency-Position: <position>` (from a command's response) the
 * request waits, bounded, until the read models have applied that position.
 */
export async function awaitConsistency(progress: ReadModelProgress, tenantId: string, request: FastifyRequest, timeoutMs: number) {
  const header = request.headers['x-consistency-position'];
  if (header === undefined) return;
  if (typeof header !== 'string' || !/^\d{1,16}$/.test(header.trim())) {
    throw validationProblem([{ path: 'X-Consistency-Position', message: 'expected a position from a command response' }]);
  }
  const wanted = Number(header);
  const applied = await progress.check(tenantId, wanted);
  const deadline = Date.now() + timeoutMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 25)) {
    if (await applied()) return;
    if (Date.now() >= deadline) {
      throw new HttpProblem(503, 'consistency-timeout', 'Service unavailable',
        `The read models have not reached position ${wanted} within ${timeoutMs} ms; retry.`, undefined, { 'Retry-After': '1' });
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
