import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { buildCommandApi } from '../command-api/app';
import { seedPlanUsageFromReadModels } from '../command-api/plan-usage-seed';
import { eventDefinitions } from '../domain/event-definitions';
import { planRequestsPerMinute } from '../domain/tenant';
import { guardEventStore } from '../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { createPostgresIdempotencyStore } from '../infra/idempotency/postgres-idempotency-store';
import { createRedisRateLimiter } from '../infra/rate-limit/redis-rate-limiter';
import { createRedisClient, type Redis } from '../infra/redis/redis-client';
import { startTestRedisServer, type TestRedisServer } from '../infra/redis/test-redis-server';
import { createResponseValidator } from './openapi-validator';
import { startHarness, type Harness } from './platform-harness';

type CommandApi = ReturnType<typeof buildCommandApi>;
type Context = { h: Harness; redis: TestRedisServer; clients: Redis[]; apis: CommandApi[] };
const test = suite<Context>('rate limits shared by two command APIs through Redis');

// Two command API processes over the same database and the same Redis, as distributed mode runs them.
test.before(async (context) => {
  context.h = await startHarness();
  context.redis = await startTestRedisServer();
  context.clients = [0, 1].map((n) => createRedisClient(context.redis.url, { name: `command-api-${n}` }));
  context.apis = context.clients.map((client) => buildCommandApi({
    eventStore: guardEventStore(createPostgresEventStore(context.h.database.pool), eventDefinitions),
    idempotency: createPostgresIdempotencyStore(context.h.database.pool, { holder: 0 }),
    planUsageSeed: seedPlanUsageFromReadModels(context.h.database.pool),
    tokens: context.h.platform.tokens,
    rateLimiter: createRedisRateLimiter(client, { ratePerSecond: 5000, burst: 10_000 }),
    now: () => new Date().toISOString(), newId: uuidv7,
  }, { logger: false, ready: async () => undefined }));
  for (let attempt = 0; context.clients.some((client) => client.status !== 'ready'); attempt++) {
    if (attempt > 200) throw new Error('Redis clients did not connect');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
});
test.after(async ({ h, redis, clients, apis }) => {
  await Promise.all(apis.map((api) => api.close()));
  for (const client of clients) client.disconnect();
  await redis.stop();
  await h.close();
});

test('past the tenant’s limit, whichever API answers, the request is refused with 429 and Retry-After; 2xx say what is left', async ({ h, apis }) => {
  const { tenantId } = await h.createTenant('Shared club', 'free');
  const validators = await Promise.all(apis.map(async (api) => createResponseValidator((await api.inject({ url: '/docs/openapi.json' })).json())));
  const bulk = async (n: number, user: string, count: number) => {
    const token = await h.token(tenantId, ['admin'], user);
    const body = { action: 'suspend', reason: 'audit', memberIds: Array.from({ length: count }, () => uuidv7()) };
    const reply = await apis[n]!.inject({ method: 'POST', url: '/v1/members/bulk', headers: { authorization: `Bearer ${token}` }, payload: body });
    assert.equal(validators[n]!('POST', '/v1/members/bulk', reply), []);
    return reply;
  };
  const quota = planRequestsPerMinute.free;

  // Three users, 250 members each: each within its own share, the third past the tenant's 600.
  const first = await bulk(0, 'user-1', 250);
  assert.is(first.statusCode, 200);
  assert.equal([first.headers['ratelimit-limit'], first.headers['ratelimit-remaining']], [String(quota / 2), String(quota / 2 - 250)]);
  assert.ok(Number(first.headers['ratelimit-reset']) >= 1);
  const second = await bulk(1, 'user-2', 250);
  assert.is(second.statusCode, 200);
  // This subject has 50 left, the tenant 100: the tighter limit is the subject's.
  assert.equal([second.headers['ratelimit-limit'], second.headers['ratelimit-remaining']], [String(quota / 2), String(quota / 2 - 250)]);

  const refused = await bulk(0, 'user-3', 250);
  // What the second API spent counts here too: alone, the first API would have had 350 left for this tenant.
  assert.is(refused.statusCode, 429);
  assert.is(refused.json().code, 'rate-limited');
  assert.ok(Number(refused.headers['retry-after']) >= 1);
  assert.is(refused.headers['ratelimit-limit'], String(quota));
  // 100 left, and what refilled since (10 a second on this plan).
  const left = Number(refused.headers['ratelimit-remaining']);
  assert.ok(left >= quota - 500 && left < quota - 500 + 30, String(left));
  assert.is((await bulk(1, 'user-3', 250)).statusCode, 429);
  assert.is((await bulk(1, 'user-3', 90)).statusCode, 200, 'a refused request took nothing');
});

test.run();
