import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { buildCommandApi } from '../command-api/app';
import { seedPlanUsageFromReadModels } from '../command-api/plan-usage-seed';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { createPostgresIdempotencyStore } from '../infra/idempotency/postgres-idempotency-store';
import { findFreePort } from '../infra/postgres/free-port';
import { createPool } from '../infra/postgres/pool';
import { createTokenBucketLimiter } from '../infra/rate-limit/token-bucket';
import { startHarness, type Harness } from './platform-harness';

const test = suite<{ h: Harness }>('operations: health, readiness, metrics, OpenAPI');
test.before(async (context) => {
  context.h = await startHarness();
});
test.after(async ({ h }) => h.close());

test('both APIs serve /health, /ready, /metrics and an OpenAPI document at /docs', async ({ h }) => {
  for (const app of [h.platform.commandApi, h.platform.queryApi]) {
    assert.equal((await app.inject({ url: '/health' })).json(), { status: 'ok' });
    assert.equal((await app.inject({ url: '/ready' })).json(), { status: 'ready' });
    const metrics = await app.inject({ url: '/metrics' });
    assert.match(metrics.headers['content-type'] as string, 'text/plain');
    assert.match(metrics.body, /process_resident_memory_bytes \d+/);
  }
  const commands = (await h.platform.commandApi.inject({ url: '/docs/openapi.json' })).json();
  assert.is(commands.openapi, '3.1.0');
  for (const path of ['/v1/tenants', '/v1/membership-types', '/v1/members', '/v1/members/{memberId}', '/v1/members/{memberId}/suspend',
    '/v1/members/bulk', '/v1/members/{memberId}/subscription', '/v1/members/{memberId}/subscription/cancel', '/v1/activities',
    '/v1/billing/checkout', '/v1/billing/portal', '/v1/webhooks/stripe', '/v1/payments/connect', '/v1/members/{memberId}/subscription/checkout']) {
    assert.ok(commands.paths[path], `documented: ${path}`);
  }
  const register = commands.paths['/v1/members'].post.requestBody.content['application/json'].schema;
  assert.equal(register.required.sort(), ['email', 'firstName', 'lastName']);
  const queries = (await h.platform.queryApi.inject({ url: '/docs/openapi.json' })).json();
  assert.ok(queries.paths['/v1/members'].get.parameters.some((p: { name: string }) => p.name === 'cursor'));
  assert.ok(queries.paths['/v1/audit/events']);
  assert.ok(queries.paths['/v1/tenant/usage']);
  assert.equal(commands.paths['/v1/webhooks/stripe'].post.security, [], 'the webhook takes no bearer token');
});

test('request metrics count by route and status', async ({ h }) => {
  const { owner } = await h.createTenant();
  await h.query('/v1/members', owner);
  const metrics = (await h.platform.queryApi.inject({ url: '/metrics' })).body;
  assert.match(metrics, 'http_requests_total{method="GET",route="/v1/members",status="200"} 1');
});


test('with its database unreachable, a command answers 503 problem+json and /ready says so', async ({ h }) => {
  const port = await findFreePort();
  const deadPool = createPool({ connectionString: `postgres://nobody:x@127.0.0.1:${port}/none`, max: 1, applicationName: 'dead' });
  const store = createPostgresEventStore(deadPool);
  const app = buildCommandApi({
    eventStore: store, tokens: h.platform.tokens, rateLimiter: createTokenBucketLimiter({ ratePerSecond: 100, burst: 100 }),
    idempotency: createPostgresIdempotencyStore(deadPool, { holder: 0 }), planUsageSeed: seedPlanUsageFromReadModels(deadPool),
    now: () => new Date().toISOString(), newId: uuidv7,
  }, { logger: false, ready: async () => void (await deadPool.query('SELECT 1')) });
  try {
    const token = await h.token(uuidv7(), ['owner']);
    const reply = await app.inject({ method: 'POST', url: '/v1/members', headers: { authorization: `Bearer ${token}` },
      payload: { email: 'x@example.org', firstName: 'X', lastName: 'Y' } });
    assert.is(reply.statusCode, 503, reply.body);
    assert.is(reply.json().code, 'dependency-unavailable');
    assert.ok(reply.headers['retry-after']);
    assert.is((await app.inject({ url: '/ready' })).statusCode, 503);
  } finally {
    await app.close();
    await deadPool.end();
  }
});

test.run();
