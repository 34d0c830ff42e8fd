import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { ZodError } from 'zod';
import { DomainError, type DomainErrorKind, type FieldError } from '../../domain/shared/domain-error';
import { WrongExpectedRevisionError } from '../event-store/port';
import { isDatabaseUnavailable, isStatementTimeout } from '../postgres/error-kinds';
import { StripeRequestError, StripeUnavailableError } from '../stripe/port';

/** An HTTP-level refusal (auth, preconditions, idempotency...). Business refusals are DomainErrors. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
    /** Extra members of the body that name what was refused (`resource`, `limit`, `usage`…). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

/** The one table from business error kinds to statuses (DESIGN.md §6). */
const statusOfKind: Record<DomainErrorKind, number> = { invalid: 400, 'not-found': 404, conflict: 409, 'payment-required': 402, gone: 410 };

const titles: Record<number, string> = {
  400: 'Bad request', 401: 'Unauthorized', 402: 'Payment required', 403: 'Forbidden', 404: 'Not found', 408: 'Request timeout',
  409: 'Conflict', 410: 'Gone', 412: 'Precondition failed', 413: 'Payload too large', 414: 'URI too long', 415: 'Unsupported media type',
  422: 'Unprocessable content', 429: 'Too many requests', 431: 'Request header fields too large',
  500: 'Internal error', 502: 'Bad gateway', 503: 'Service unavailable',
};

export function fieldErrorsOf(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
}

export const validationProblem = (errors: FieldError[]) =>
  new HttpProblem(400, 'validation-failed', 'Validation failed', 'The request does not match the schema.', errors);

const problemOf = (status: number, code: string, detail: string) => () => new HttpProblem(status, code, titles[status]!, detail);

/**
 * Errors raised by Fastify (router, body parsing) and Node's HTTP parser, by their code: the one
 * mapping for the error handler (toProblem) and for what is answered before a request exists
 * (edge-errors.ts).
 */
const frameworkProblems: Record<string, () => HttpProblem> = {
  FST_ERR_BAD_URL: problemOf(400, 'malformed-url', 'The URL is not validly percent-encoded UTF-8.'),
  FST_ERR_MAX_PARAM_LENGTH: problemOf(414, 'uri-too-long', 'A path parameter exceeds the length limit.'),
  FST_ERR_CTP_BODY_TOO_LARGE: problemOf(413, 'payload-too-large', 'The body exceeds the size limit.'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: problemOf(415, 'unsupported-media-type', 'Send the body as application/json.'),
  FST_ERR_CTP_INVALID_JSON_BODY: problemOf(400, 'malformed-json', 'The body is not valid JSON.'),
  FST_ERR_CTP_EMPTY_JSON_BODY: problemOf(400, 'malformed-json', 'The body is not valid JSON.'),
  HPE_HEADER_OVERFLOW: problemOf(431, 'request-header-fields-too-large', 'The request headers exceed the size limit.'),
  ERR_HTTP_REQUEST_TIMEOUT: problemOf(408, 'request-timeout', 'The request was not received in time.'),
};

/** Any other failure of Node's HTTP parser: the bytes are not HTTP/1.1. */
const malformedRequest = problemOf(400, 'malformed-request', 'The request is not well-formed HTTP/1.1.');

/** The problem for a Fastify or Node HTTP error code; unknown codes are a malformed request. */
export const frameworkProblem = (code: string | undefined) => (code && Object.hasOwn(frameworkProblems, code) ? frameworkProblems[code]! : malformedRequest)();

/** A request whose body did not all arrive in time (request-deadline.ts). */
export const requestTimeoutProblem = frameworkProblems.ERR_HTTP_REQUEST_TIMEOUT!;

export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof DomainError) {
    const status = statusOfKind[error.kind];
    return new HttpProblem(status, error.code, titles[status]!, error.message,
      error.fieldErrors.length ? error.fieldErrors : undefined, {}, error.details);
  }
  if (error instanceof WrongExpectedRevisionError) {
    return new HttpProblem(409, 'concurrent-modification', 'Conflict', 'Another change to this resource won; retry.');
  }
  if (error instanceof StripeRequestError) {
    return new HttpProblem(502, 'billing-provider-refused', 'Bad gateway', `Stripe refused the request: ${error.message}`);
  }
  if (error instanceof StripeUnavailableError) {
    return new HttpProblem(503, 'billing-provider-unavailable', titles[503]!, 'Stripe is unavailable; nothing was changed.', undefined, { 'Retry-After': '5' });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code && Object.hasOwn(frameworkProblems, fastifyError.code)) return frameworkProblem(fastifyError.code);
  if (isStatementTimeout(error)) {
    return new HttpProblem(503, 'database-timeout', titles[503]!, 'The database did not answer in time; retry.', undefined, { 'Retry-After': '1' });
  }
  if (isDatabaseUnavailable(error)) {
    return new HttpProblem(503, 'dependency-unavailable', titles[503]!, 'A dependency is unavailable; nothing was changed.', undefined, { 'Retry-After': '1' });
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new HttpProblem(fastifyError.statusCode, 'bad-request', titles[fastifyError.statusCode] ?? 'Bad request', fastifyError.message);
  }
  return new HttpProblem(500, 'internal-error', titles[500]!, 'Something went wrong on our side.');
}

/** RFC 9457 body; `type` is a relative URI naming the stable code. */
export function problemBody(problem: HttpProblem) {
  const { status, code, title, detail, errors, extensions } = problem;
  return { ...extensions, type: `/problems/${code}`, title, status, detail: detail ?? title, code, ...(errors ? { errors } : {}) };
}

export function sendProblem(reply: FastifyReply, problem: HttpProblem) {
  return reply.status(problem.status).headers(problem.headers).type('application/problem+json').send(problemBody(problem));
}

/** Every error of the app leaves as problem+json; 5xx details go to the log, never the client. */
export function installProblemHandling(app: FastifyInstance) {
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new HttpProblem(404, 'route-not-found', 'Not found', `No route ${request.method} ${request.url}.`)));
}
