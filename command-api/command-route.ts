import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal, Role } from '../infra/auth/jwt';
import { authenticate } from '../infra/http/authenticate';
import { enforceRateLimit } from '../infra/http/rate-limit';
import type { DocumentedRoute } from '../infra/http/openapi';
import type { ResponseDeclaration } from '../infra/http/openapi-responses';
import { DomainError } from '../domain/shared/domain-error';
import { fieldErrorsOf, HttpProblem, problemBody, toProblem, validationProblem } from '../infra/http/problem';
import type { RouteDependencies } from './dependencies';
import type { CommandContext } from './handle-command';
import { costOfCommand } from './request-cost';
import { idsOfKeyedRequest, requestHash } from './resumed-request';
import type { TenantGuard } from './tenant-guard';
import { refuseWritesWhenSuspended, tenantBilling, type Tenant } from '../domain/tenant';

export type CommandInput<Body, Params> = {
  body: Body;
  params: Params;
  principal: Principal;
  /** The caller's tenant as stored (absent only for tenant provisioning). */
  tenant: Tenant | undefined;
  context: CommandContext;
  /** The revision named by `If-Match: "<revision>"`, if sent. */
  ifMatch?: number;
};

export type CommandReply = { status: number; body: Record<string, unknown>; revision?: number; location?: string };

/** A command route; its answers for /docs are declared as in infra/http/README.md. */
export type CommandRouteSpec<Body, Params> = ResponseDeclaration & {
  method: 'POST' | 'PATCH';
  url: string;
  summary: string;
  roles: readonly Role[];
  body: z.ZodType<Body>;
  params: z.ZodType<Params>;
  handle: (input: CommandInput<Body, Params>) => Promise<CommandReply>;
  /** Only tenant provisioning runs without the caller's tenant existing. */
  provisionsTenant?: true;
  /** The billing routes: a tenant suspended for non-payment must still be able to pay. */
  allowedWhileSuspended?: true;
};

/** What /docs describes: filled as routes register, so the document cannot drift from the code. */
export type RouteDocument = DocumentedRoute & { roles: readonly Role[] };

const idempotencyKeySchema = z.string().min(1).max(255);

export function registerCommandRoute<Body, Params>(
  app: FastifyInstance,
  deps: RouteDependencies,
  requireTenant: TenantGuard,
  documents: RouteDocument[],
  spec: CommandRouteSpec<Body, Params>,
) {
  documents.push(spec);
  app.route({
    method: spec.method,
    url: spec.url,
    handler: async (request, reply) => {
      const principal = await authenticate(deps.tokens, request, spec.roles);
      // The tenant first: its plan sets its rate limit, taken before anything else is done.
      const tenant = spec.provisionsTenant ? undefined : await requireTenant(principal.tenantId);
      await enforceRateLimit(deps.rateLimiter, reply, { tenantId: principal.tenantId, subject: principal.userId,
        plan: tenant && tenantBilling(tenant).plan, cost: costOfCommand(spec.method, spec.url, request.body) });
      const params = parse(spec.params, request.params);
      const body = parse(spec.body, request.body ?? {});
      if (tenant && !spec.allowedWhileSuspended) refuseWritesWhenSuspended(tenantBilling(tenant));
      const ifMatch = readIfMatch(request);
      const key = request.headers['idempotency-key'];
      const run = (context: CommandContext) =>
        spec.handle({ body, params, principal, tenant, context, ...(ifMatch === undefined ? {} : { ifMatch }) });
      if (key === undefined) return send(reply, await run(contextOf(deps, request, principal)));
      return runIdempotently(deps, request, reply, principal, parse(idempotencyKeySchema, key), run);
    },
  });
}

async function runIdempotently(
  deps: RouteDependencies, request: FastifyRequest, reply: FastifyReply, principal: Principal, key: string,
  run: (context: CommandContext) => Promise<CommandReply>,
) {
  // If-Match is part of the request: the same key with another precondition is another request.
  const hash = requestHash(request.method, request.url, request.body, request.headers['if-match']);
  const reservation = await deps.idempotency.reserve(principal.tenantId, key, hash, deps.now());
  switch (reservation.outcome) {
    case 'different-request':
      throw new HttpProblem(422, 'idempotency-key-reused', 'Unprocessable content',
        'This Idempotency-Key was used with a different request in the last 24 hours.');
    case 'in-progress':
      throw new HttpProblem(409, 'idempotency-key-in-progress', 'Conflict',
        'A request with this Idempotency-Key is still running; retry shortly.', undefined, { 'Retry-After': '1' });
    case 'replay': {
      const { statusCode, body, etag } = reservation.response;
      reply.header('Idempotent-Replayed', 'true');
      if (etag) reply.header('ETag', etag);
      return reply.status(statusCode).type(statusCode >= 400 ? 'application/problem+json' : 'application/json').send(body);
    }
    case 'reserved':
      break;
  }
  // Every attempt runs at the first one's clock and creates the same ids: a resumed attempt
  // decides what the first one decided, on the streams it may already have written.
  const { startedAt, resumed } = reservation;
  const context: CommandContext = {
    ...contextOf(deps, request, principal, key),
    now: startedAt,
    newId: idsOfKeyedRequest(principal.tenantId, key, startedAt),
    newEventId: deps.newId,
    ...(resumed ? { resumedSince: startedAt } : {}),
  };
  let result: CommandReply;
  try {
    result = await run(context);
  } catch (error) {
    // Refusals (a business rule, a precondition, an unknown id) are answers too, and a retry must get
    // the same one; a failure (5xx) may heal, and the retry resumes this attempt, which may have
    // appended part of its work.
    const problem = error instanceof DomainError || error instanceof HttpProblem ? toProblem(error) : undefined;
    if (problem && problem.status < 500) {
      await deps.idempotency.complete(principal.tenantId, key, { statusCode: problem.status, body: problemBody(problem), etag: null });
    } else {
      await deps.idempotency.interrupt(principal.tenantId, key).catch(() => undefined);
    }
    throw error;
  }
  await deps.idempotency.complete(principal.tenantId, key, {
    statusCode: result.status, body: result.body, etag: result.revision === undefined ? null : `"${result.revision}"`,
  });
  return send(reply, result);
}

function send(reply: FastifyReply, result: CommandReply) {
  if (result.revision !== undefined) reply.header('ETag', `"${result.revision}"`);
  if (result.location) reply.header('Location', result.location);
  return reply.status(result.status).send(result.body);
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationProblem(fieldErrorsOf(parsed.error));
  return parsed.data;
}

function readIfMatch(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(String(header));
  if (!match) throw validationProblem([{ path: 'If-Match', message: 'expected "<revision>"' }]);
  return Number(match[1]);
}

function contextOf(deps: RouteDependencies, request: FastifyRequest, principal: Principal, key?: string): CommandContext {
  const correlation = request.headers['x-correlation-id'];
  const correlationId = typeof correlation === 'string' && correlation.length <= 100 ? correlation : request.id;
  return {
    tenantId: principal.tenantId,
    actor: { userId: principal.userId, roles: principal.roles },
    correlationId,
    causationId: request.id,
    ...(key === undefined ? {} : { idempotencyKey: key }),
    now: deps.now(),
    newId: deps.newId,
  };
}
