import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisClient, type Redis } from '../redis/redis-client';
import { startTestRedisServer, type TestRedisServer } from '../redis/test-redis-server';
import type { RateLimit, RateLimiter } from './port';
import { createRedisRateLimiter } from './redis-rate-limiter';

type Context = { redis: TestRedisServer; clients: Redis[]; limiters: RateLimiter[]; errors: unknown[][] };
const test = suite<Context>('Redis rate limiter: shared between processes, per process while Redis is down');

// Two "command API processes": each its own connection and limiter, sharing one Redis.
test.before(async (context) => {
  context.redis = await startTestRedisServer();
  context.clients = [0, 1].map((n) => createRedisClient(context.redis.url, { name: `limiter-${n}` }));
  context.errors = [[], []];
  context.limiters = context.clients.map((client, n) =>
    createRedisRateLimiter(client, { ratePerSecond: 1000, burst: 10_000, retryMs: 50, onError: (error) => context.errors[n]!.push(error) }));
  await untilShared(context.clients, context.limiters);
});
test.after(async ({ redis, clients }) => {
  for (const client of clients) client.disconnect();
  await redis.stop();
});

let keys = 0;
// Refills one token per 1,000 s: within a test, a bucket only drains.
const bucket = (capacity: number): RateLimit => ({ key: `tenant:t${++keys}`, perSecond: 0.001, capacity });

/** Concurrent requests, alternating between the two processes: how many passed. */
async function allowedOf(limiters: RateLimiter[], limits: RateLimit[], requests: number, cost = 1) {
  const decisions = await Promise.all(Array.from({ length: requests }, (_, n) => limiters[n % limiters.length]!.take(limits, cost)));
  return decisions.filter((d) => d.allowed).length;
}

/** Once the connections are back and past the limiters' retryMs, one request each finds Redis answering. */
async function untilShared(clients: Redis[], limiters: RateLimiter[]) {
  for (let attempt = 0; clients.some((client) => client.status !== 'ready'); attempt++) {
    if (attempt > 200) throw new Error('clients did not reconnect');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await new Promise((resolve) => setTimeout(resolve, 60));
  for (const limiter of limiters) await limiter.take([bucket(1)], 1);
}

test('two processes together hold a tenant to its limit, even when their requests race', async ({ limiters }) => {
  const limits = [bucket(10)];
  assert.is(await allowedOf(limiters, limits, 30), 10);
  const refused = await limiters[1]!.take(limits, 1);
  assert.equal([refused.allowed, refused.remaining, refused.limit], [false, 0, 10]);
  assert.ok(refused.retryAfterSeconds >= 999);
});

test('both buckets or neither, across processes: a subject over its share leaves the tenant untouched', async ({ limiters }) => {
  const tenant = bucket(10);
  const [first, second] = [{ ...bucket(4) }, { ...bucket(4) }];
  assert.is(await allowedOf(limiters, [tenant, first], 6), 4);
  assert.is(await allowedOf(limiters, [tenant, second], 6), 4);
  const left = await limiters[0]!.take([tenant, bucket(4)], 1);
  assert.equal([left.allowed, left.limit, left.remaining], [true, 10, 1], 'the tighter limit: the tenant, 1 left (a fresh subject has 3)');
  assert.is((await limiters[1]!.take([tenant, bucket(4)], 2)).allowed, false, 'the tenant has 1 left');
});

test('a weighted request takes its cost at once, shared', async ({ limiters }) => {
  const limits = [bucket(100)];
  assert.equal((await limiters[0]!.take(limits, 60)).remaining, 40);
  assert.is((await limiters[1]!.take(limits, 60)).allowed, false);
  assert.equal((await limiters[1]!.take(limits, 40)).remaining, 0);
});

test('Redis down: each process limits on its own without throwing, says so once; Redis back: shared again', async ({ redis, clients, limiters, errors }) => {
  await redis.stop();
  const limits = [bucket(5)];
  assert.is(await allowedOf(limiters, limits, 20), 10, 'five per process');
  assert.is(await allowedOf(limiters, limits, 4), 0);
  assert.equal(errors.map((e) => e.length), [1, 1], 'one report per process for the outage');

  await redis.start();
  await untilShared(clients, limiters);
  const again = [bucket(5)];
  assert.is(await allowedOf(limiters, again, 20), 5, 'shared through Redis again');
  assert.equal(errors.map((e) => e.length), [1, 1]);

  await redis.stop();
  await limiters[0]!.take([bucket(5)], 1);
  assert.is(errors[0]!.length, 2, 'a new outage is reported again');
  await redis.start();
  await untilShared(clients, limiters);
});

test.run();
