import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { Principal, Role } from '../infra/auth/jwt';
import { authenticate } from '../infra/http/authenticate';
import { enforceRateLimit } from '../infra/http/rate-limit';
import type { DocumentedRoute } from '../infra/http/openapi';
import type { ResponseDeclaration } from '../infra/http/openapi-responses';
import { fieldErrorsOf, validationProblem } from '../infra/http/problem';
import { awaitConsistency, consistencyOverloaded, consistencyTimeout, notATenantPosition, type ReadModelProgress } from './consistency';
import type { QueryApiDependencies } from './dependencies';
import type { TenantPlans } from './tenant-plans';

export const readerRoles = ['owner', 'admin', 'staff', 'auditor'] as const;

/** A GET route; its answers for /docs are declared as in infra/http/README.md. */
export type QueryRouteSpec<Query, Params> = ResponseDeclaration & {
  url: string;
  summary: string;
  roles: readonly Role[];
  query: z.ZodType<Query>;
  params: z.ZodType<Params>;
  handle: (input: { query: Query; params: Params; principal: Principal; reply: FastifyReply }) => Promise<unknown>;
  /** What X-Consistency-Position waits for, when not the PostgreSQL read models (analytics). */
  progress?: ReadModelProgress;
};

/** What X-Consistency-Position can answer, on every query route. */
const consistencyRefusals = [() => notATenantPosition(0), () => consistencyTimeout(0, 0), consistencyOverloaded];

/** A GET route: authenticate, validate, wait for X-Consistency-Position if sent, then read. */
export function registerQueryRoute<Query, Params>(
  app: FastifyInstance, deps: QueryApiDependencies & { tenantPlans: TenantPlans }, documents: DocumentedRoute[], spec: QueryRouteSpec<Query, Params>,
) {
  documents.push({ method: 'GET', ...spec, refusals: [...consistencyRefusals, ...(spec.refusals ?? [])] });
  app.get(spec.url, async (request, reply) => {
    const principal = await authenticate(deps.tokens, request, spec.roles);
    await enforceRateLimit(deps.rateLimiter, reply, { tenantId: principal.tenantId, subject: principal.userId,
      plan: await deps.tenantPlans.planOf(principal.tenantId), cost: 1 });
    const params = parse(spec.params, request.params);
    const query = parse(spec.query, request.query);
    await awaitConsistency(spec.progress ?? deps.progress, principal.tenantId, request, deps.consistencyTimeoutMs);
    return spec.handle({ query, params, principal, reply });
  });
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationProblem(fieldErrorsOf(parsed.error));
  return parsed.data;
}
