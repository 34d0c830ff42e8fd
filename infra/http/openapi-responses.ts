import { z } from 'zod';
import { DomainError } from '../../domain/shared/domain-error';
import { overloaded } from './load-shedding';
import { frameworkProblem, HttpProblem, toProblem, validationProblem } from './problem';

/**
 * What a route says about its answers, beyond what its kind implies (responsesOf below). Every
 * field is optional; a route declares in one line what is its own:
 *   `status: 201, response: z.object({ memberId: z.uuid(), revision, position }), refusals: [memberNotFound]`
 */
export type ResponseDeclaration = {
  /** The success status, default 200; several when the route answers more than one (200 or 202), the same body each. */
  status?: number | readonly number[];
  /** The success body (JSON unless `contentType`); undocumented when absent. */
  response?: z.ZodType;
  /** The success body's media type when it is not JSON (text/csv, text/event-stream). */
  contentType?: string;
  /** The business and HTTP refusals this route raises beyond its kind's defaults. */
  refusals?: readonly RefusalSource[];
  /** Whether `If-Match` applies (412 revision-mismatch); default: a command on a resource (has path params). */
  ifMatch?: boolean;
  /** Whether the success answer carries `ETag: "<revision>"`; default: commands. */
  etag?: boolean;
};

/**
 * A refusal, named where it is declared: the factory next to its rule (`memberNotFound`,
 * `preconditionFailed`…), or a call that throws it, run here only to read its status and code
 * through the one mapping of problem.ts; or `{ status, code }` for a code raised inline.
 */
export type RefusalSource = (() => unknown) | { status: number; code: string };

export type RouteKind = 'command' | 'query' | 'unauthenticated';

/** What the document builder needs of a route to derive its answers. */
export type ResponseContext = ResponseDeclaration & {
  kind: RouteKind; method: string; hasParams: boolean; hasBody: boolean;
  provisionsTenant?: true; allowedWhileSuspended?: true;
};

export const refusal = (status: number, code: string): RefusalSource => ({ status, code });

// HTTP refusals raised inline (authenticate.ts, rate-limit.ts, command-route.ts, tenant-guard.ts):
// named once here for the documents; give each a factory where it is raised when you touch it.
const unauthorized = refusal(401, 'unauthorized');
const forbidden = refusal(403, 'forbidden-role');
const rateLimited = refusal(429, 'rate-limited');
const tenantNotFound = refusal(404, 'tenant-not-found');
const tenantSuspended = refusal(402, 'tenant-suspended');
const idempotencyKeyReused = refusal(422, 'idempotency-key-reused');
const idempotencyKeyInProgress = refusal(409, 'idempotency-key-in-progress');
const revisionMismatch = refusal(412, 'revision-mismatch');
const concurrentModification = refusal(409, 'concurrent-modification');
const dependencyUnavailable = refusal(503, 'dependency-unavailable');
const databaseTimeout = refusal(503, 'database-timeout');

const framework = (code: string) => () => frameworkProblem(code);

/** The refusals every route of a kind can answer, whatever it does. */
function defaultRefusals(route: ResponseContext): RefusalSource[] {
  const common: RefusalSource[] = [() => validationProblem([]), framework('FST_ERR_BAD_URL'), () => overloaded('', 1), dependencyUnavailable, databaseTimeout,
    // A failure nobody foresaw still answers problem+json, without its details.
    () => toProblem(new Error('unforeseen'))];
  if (route.hasParams) common.push(framework('FST_ERR_MAX_PARAM_LENGTH'));
  if (route.hasBody) common.push(framework('FST_ERR_CTP_INVALID_JSON_BODY'), framework('FST_ERR_CTP_BODY_TOO_LARGE'), framework('FST_ERR_CTP_INVALID_MEDIA_TYPE'));
  if (route.kind === 'unauthenticated') return common;
  common.push(unauthorized, forbidden, rateLimited);
  if (route.kind === 'query') return common;
  common.push(idempotencyKeyReused, idempotencyKeyInProgress, concurrentModification);
  if (!route.provisionsTenant) common.push(tenantNotFound);
  if (!route.provisionsTenant && !route.allowedWhileSuspended) common.push(tenantSuspended);
  if (route.ifMatch ?? route.hasParams) common.push(revisionMismatch);
  return common;
}

function statusAndCode(source: RefusalSource): { status: number; code: string } {
  if (typeof source !== 'function') return source;
  let error: unknown;
  try {
    error = source();
  } catch (thrown) {
    error = thrown;
  }
  if (!(error instanceof DomainError || error instanceof HttpProblem)) throw new Error(`not a refusal: ${String(error)}`);
  const { status, code } = toProblem(error);
  return { status, code };
}

/** Refusals by status, each with its codes, in a stable order. */
export function refusalsByStatus(route: ResponseContext): Map<number, string[]> {
  const byStatus = new Map<number, Set<string>>();
  for (const source of [...defaultRefusals(route), ...(route.refusals ?? [])]) {
    const { status, code } = statusAndCode(source);
    if (!byStatus.has(status)) byStatus.set(status, new Set());
    byStatus.get(status)!.add(code);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => [status, [...codes].sort()]));
}

const header = (description: string, schema: object = { type: 'string' }) => ({ description, schema });

/** The headers of the answers (DESIGN §6, §12). */
export const responseHeaders = {
  ETag: header('"<revision>" of the resource; send it back as If-Match'),
  Location: header('The created resource'),
  'Idempotent-Replayed': header('"true" when this answer is the stored one of an earlier request with the same Idempotency-Key'),
  'RateLimit-Limit': header('Requests allowed per window for this tenant and token subject', { type: 'integer' }),
  'RateLimit-Remaining': header('Requests left in the current window', { type: 'integer' }),
  'RateLimit-Reset': header('Seconds until the window resets', { type: 'integer' }),
  'Retry-After': header('Seconds to wait before retrying', { type: 'integer' }),
  'WWW-Authenticate': header('Bearer'),
} as const;

type HeaderName = keyof typeof responseHeaders;
const rateLimitHeaders: HeaderName[] = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

function headersOf(names: HeaderName[]) {
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

/** RFC 9457 problem details as DESIGN §6 states them; extension members (`resource`, `limit`…) may follow. */
export const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', description: '/problems/<code>' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable kebab-case code' },
    errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
} as const;

export const jsonSchemaOf = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { unrepresentable: 'any', io }) as Record<string, unknown>;
  return rest;
};

function successResponses(route: ResponseContext) {
  const statuses = typeof route.status === 'number' ? [route.status] : route.status ?? [200];
  return statuses.map((status) => successResponse(route, status));
}

function successResponse(route: ResponseContext, status: number) {
  const names: HeaderName[] = [...rateLimitHeaders];
  if (route.etag ?? route.kind === 'command') names.push('ETag');
  if (status === 201) names.push('Location');
  if (route.kind === 'command') names.push('Idempotent-Replayed');
  const contentType = route.contentType ?? 'application/json';
  const schema = route.response ? jsonSchemaOf(route.response, 'output') : contentType === 'application/json' ? {} : { type: 'string' };
  return [String(status), { description: route.response || route.contentType ? 'Success' : 'Success (body not yet documented)',
    headers: headersOf(names), content: { [contentType]: { schema } } }] as const;
}

function problemResponse(status: number, codes: string[]) {
  const names: HeaderName[] = [...rateLimitHeaders];
  if (status === 429 || status === 503 || codes.includes('idempotency-key-in-progress')) names.push('Retry-After');
  if (status === 401) names.push('WWW-Authenticate');
  return [String(status), {
    description: `Refused: ${codes.join(', ')}`,
    headers: headersOf(names),
    content: { 'application/problem+json': { schema: { allOf: [{ $ref: '#/components/schemas/Problem' },
      { type: 'object', properties: { code: { type: 'string', enum: codes } } }] } } },
  }] as const;
}

/** The OpenAPI `responses` of one operation: its success and each refusal with its codes. */
export function responsesOf(route: ResponseContext) {
  const refusals = [...refusalsByStatus(route)].map(([status, codes]) => problemResponse(status, codes));
  return Object.fromEntries([...successResponses(route), ...refusals]);
}

/** Shared parts the responses refer to. */
export const responseComponents = {
  schemas: { Problem: problemSchema },
  headers: responseHeaders,
};
