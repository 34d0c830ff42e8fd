import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** What a browser client sends besides the CORS-safelisted headers (DESIGN §6: bearer, JSON, retries, optimistic concurrency). */
export const corsAllowedHeaders = ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Correlation-Id'];
/** What a browser client reads besides the safelisted ones: the revision, where a thing is, and the rate limits. */
export const corsExposedHeaders = ['ETag', 'Location', 'Idempotent-Replayed', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After'];

/**
 * Cross-origin calls from exactly these origins (the admin console on the query API calls the
 * command API from the browser): any other origin gets no Access-Control-Allow-Origin, so its
 * scripts cannot read a reply. No credentials mode: the bearer token travels in Authorization,
 * never in a cookie, so a page cannot borrow a user's session. Installed before the routes, so
 * that preflights are answered and refusals (problem+json) carry the headers too.
 */
export function installCors(app: FastifyInstance, origins: readonly string[]) {
  if (origins.length === 0) return;
  void app.register(cors, {
    origin: [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: corsAllowedHeaders,
    exposedHeaders: corsExposedHeaders,
    credentials: false,
    // A browser asks again after ten minutes at most (Chromium caps it at two hours).
    maxAge: 600,
  });
}
