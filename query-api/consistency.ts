import type { FastifyRequest } from 'fastify';
import { HttpProblem, validationProblem } from '../infra/http/problem';
import type { ReadModelDb } from '../infra/read-models/database';

export const readModelProjection = 'postgres-read-models';

/**
 * Read-your-writes: with `X-Consistency-Position: <position>` (from a command's response) the
 * request waits, bounded, until the read models have applied that position.
 */
export async function awaitConsistency(db: ReadModelDb, request: FastifyRequest, timeoutMs: number) {
  const header = request.headers['x-consistency-position'];
  if (header === undefined) return;
  if (typeof header !== 'string' || !/^\d{1,16}$/.test(header.trim())) {
    throw validationProblem([{ path: 'X-Consistency-Position', message: 'expected a position from a command response' }]);
  }
  const wanted = Number(header);
  const deadline = Date.now() + timeoutMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 25)) {
    const row = await db.selectFrom('projection_checkpoints').select('position')
      .where('projection', '=', readModelProjection).executeTakeFirst();
    if (row && Number(row.position) >= wanted) return;
    if (Date.now() >= deadline) {
      throw new HttpProblem(503, 'consistency-timeout', 'Service unavailable',
        `The read models have not reached position ${wanted} within ${timeoutMs} ms; retry.`, undefined, { 'Retry-After': '1' });
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
