import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idleWhile } from '../../../infra/http/load-shedding';
import type { DocumentedRoute } from '../../../infra/http/openapi';
import { fieldErrorsOf, HttpProblem, validationProblem } from '../../../infra/http/problem';
import { enforceRateLimit } from '../../../infra/http/rate-limit';
import type { QueryApiDependencies } from '../../dependencies';
import type { TenantPlans } from '../../tenant-plans';
import type { LiveDependencies } from '../../live/live-dependencies';
import { heartbeatFrame, memberChangeFrame, reconnectAfterFrame } from '../../live/sse-frames';
import { invalidStreamTicket, streamPrincipal, streamRoles } from './stream-auth';

const query = z.strictObject({
  ticket: z.string().min(1).max(200).optional(),
  /** For clients that cannot set the header (as some EventSource polyfills do); the header wins. */
  lastEventId: z.string().optional(),
});
const position = z.string().regex(/^\d{1,15}$/, 'a position (the id of an event this stream sent)').transform(Number);

/** A tenant's connections beyond this are refused: one tenant cannot take the process's sockets. */
export const tooManyStreams = (retryAfterSeconds = 5) => new HttpProblem(429, 'too-many-streams', 'Too many requests',
  "This tenant has as many live streams open as it may; close one or retry later.", undefined, { 'Retry-After': String(retryAfterSeconds) });

/** A client this far behind on reading is cut off; its EventSource reconnects and resumes with Last-Event-ID. */
const maxBufferedBytes = 1 << 20;

/**
 * GET /v1/stream (DESIGN §12): the caller's tenant's member changes as Server-Sent Events, each
 * after the read model applied it, resumed after Last-Event-ID, with a heartbeat comment. The
 * first changes are read before the status line leaves, so a refusal is still problem+json.
 */
export function installFollowStream(app: FastifyInstance, deps: QueryApiDependencies & { tenantPlans: TenantPlans }, live: LiveDependencies, documents: DocumentedRoute[]) {
  documents.push({
    method: 'GET', url: '/v1/stream', summary: "Live updates of the tenant's members (Server-Sent Events): event `member`, id = position",
    roles: streamRoles, query, contentType: 'text/event-stream', response: z.string(),
    refusals: [invalidStreamTicket, () => tooManyStreams()],
  });
  const open = new Map<string, number>();
  app.get('/v1/stream', async (request, reply) => {
    const parsed = query.safeParse(request.query);
    if (!parsed.success) throw validationProblem(fieldErrorsOf(parsed.error));
    const principal = await streamPrincipal(deps.tokens, live.tickets, request, parsed.data.ticket);
    await enforceRateLimit(deps.rateLimiter, reply, { tenantId: principal.tenantId, subject: principal.userId,
      plan: await deps.tenantPlans.planOf(principal.tenantId), cost: 1 });
    const lastEventId = request.headers['last-event-id'] ?? parsed.data.lastEventId;
    const after = lastEventId === undefined ? undefined : position.safeParse(lastEventId);
    if (after && !after.success) throw validationProblem([{ path: 'Last-Event-ID', message: after.error.issues[0]!.message }]);
    const tenantId = principal.tenantId;
    if ((open.get(tenantId) ?? 0) >= live.maxStreamsPerTenant) throw tooManyStreams();
    open.set(tenantId, (open.get(tenantId) ?? 0) + 1);

    const stream = new PassThrough();
    stream.write(reconnectAfterFrame);
    let closed = false;
    let leave = () => {};
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      leave();
      const left = (open.get(tenantId) ?? 1) - 1;
      if (left > 0) open.set(tenantId, left); else open.delete(tenantId);
      stream.end();
    };
    const heartbeat = setInterval(() => stream.write(heartbeatFrame), live.heartbeatMs);
    heartbeat.unref();
    reply.raw.once('close', close);
    try {
      leave = await live.hub.join(tenantId, after?.data, (changes) => {
        if (closed) return;
        stream.write(changes.map(memberChangeFrame).join(''));
        if (stream.readableLength + reply.raw.writableLength > maxBufferedBytes) close();
      }, () => closed);
    } catch (error) {
      close();
      throw error;
    }
    if (closed) leave(); // the client left while its backlog was read
    // A stream only waits: it must not hold a place of the in-flight bound (load-shedding.ts) for hours.
    void idleWhile(request, new Promise((resolve) => reply.raw.once('close', resolve)));
    reply.type('text/event-stream; charset=utf-8').header('Cache-Control', 'no-cache, no-transform').header('X-Accel-Buffering', 'no');
    return reply.send(stream);
  });
}
