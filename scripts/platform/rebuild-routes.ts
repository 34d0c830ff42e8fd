import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TokenService } from '../../infra/auth/jwt';
import { authenticate } from '../../infra/http/authenticate';
import { fieldErrorsOf, HttpProblem, validationProblem } from '../../infra/http/problem';
import type { RebuildJobs } from '../../projectors/analytics/rebuild-jobs';

const startBody = z.strictObject({ target: z.literal('analytics'), tenantId: z.uuid().optional() });

/**
 * Operator routes of the embedded process (role `platform`): start a rebuild of the analytics
 * tables and follow it. `npm run rebuild` calls them when no CLICKHOUSE_URL is set, because only
 * this process may open its chDB directory.
 *   POST /v1/admin/rebuilds { target: 'analytics', tenantId? } → 202 the job, 409 if one runs
 *   GET  /v1/admin/rebuilds/:rebuildId → the job (status, position, head, events)
 */
export function installRebuildRoutes(app: FastifyInstance, tokens: TokenService, jobs: RebuildJobs | undefined) {
  const unavailable = () => new HttpProblem(503, 'analytics-unavailable', 'Service unavailable', 'This process runs no analytics.');
  app.post('/v1/admin/rebuilds', async (request, reply) => {
    await authenticate(tokens, request, ['platform']);
    const parsed = startBody.safeParse(request.body);
    if (!parsed.success) throw validationProblem(fieldErrorsOf(parsed.error));
    if (!jobs) throw unavailable();
    const job = jobs.start(parsed.data.tenantId);
    if (job === 'busy') throw new HttpProblem(409, 'rebuild-running', 'Conflict', 'A rebuild is already running; wait for it.');
    return reply.code(202).header('location', `/v1/admin/rebuilds/${job.rebuildId}`).send(job);
  });
  app.get('/v1/admin/rebuilds/:rebuildId', async (request) => {
    await authenticate(tokens, request, ['platform']);
    const job = jobs?.get((request.params as { rebuildId: string }).rebuildId);
    if (!job) throw new HttpProblem(404, 'rebuild-not-found', 'Not found', 'No such rebuild.');
    return job;
  });
}
