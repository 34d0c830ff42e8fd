import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { authenticate } from '../../../infra/http/authenticate';
import type { DocumentedRoute } from '../../../infra/http/openapi';
import { enforceRateLimit } from '../../../infra/http/rate-limit';
import { streamTicketTtlSeconds } from '../../../infra/live/stream-tickets';
import type { QueryApiDependencies } from '../../dependencies';
import type { TenantPlans } from '../../tenant-plans';
import type { LiveDependencies } from '../../live/live-dependencies';
import { streamRoles } from './stream-auth';

const ticketSchema = z.object({
  ticket: z.string().describe(`Open GET /v1/stream?ticket=<ticket> with it once, within ${streamTicketTtlSeconds} s`),
  expiresAt: z.iso.datetime(),
});

/** POST /v1/stream/tickets: a single-use ticket for a browser's EventSource (see stream-tickets.ts). */
export function installCreateStreamTicket(app: FastifyInstance, deps: QueryApiDependencies & { tenantPlans: TenantPlans }, live: LiveDependencies, documents: DocumentedRoute[]) {
  documents.push({
    method: 'POST', url: '/v1/stream/tickets', summary: `A single-use ticket (${streamTicketTtlSeconds} s) to open the live stream from a browser`,
    roles: streamRoles, kind: 'query', status: 201, response: ticketSchema,
  });
  app.post('/v1/stream/tickets', async (request, reply) => {
    const principal = await authenticate(deps.tokens, request, streamRoles);
    await enforceRateLimit(deps.rateLimiter, reply, { tenantId: principal.tenantId, subject: principal.userId,
      plan: await deps.tenantPlans.planOf(principal.tenantId), cost: 1 });
    const issued = await live.tickets.issue(principal);
    reply.code(201).header('Cache-Control', 'no-store');
    return issued;
  });
}
