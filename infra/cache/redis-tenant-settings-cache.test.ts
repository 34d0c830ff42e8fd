import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisClient, type Redis } from '../redis/redis-client';
import { startTestRedisServer, type TestRedisServer } from '../redis/test-redis-server';
import { createRedisTenantSettingsCache } from './redis-tenant-settings-cache';
import type { TenantSettingsCache } from './tenant-settings-cache';

type Settings = { plan: string };
type Context = { redis: TestRedisServer; clients: Redis[]; caches: TenantSettingsCache<Settings>[]; errors: unknown[][] };
const test = suite<Context>('tenant settings cache in Redis: shared, invalidated by revision, bypassed while Redis is down');

// Two processes (say a command API and the scheduler), each its own connection.
test.before(async (context) => {
  context.redis = await startTestRedisServer();
  context.clients = [0, 1, 2].map((n) => createRedisClient(context.redis.url, { name: `cache-${n}` }));
  context.errors = [[], []];
  context.caches = [0, 1].map((n) => createRedisTenantSettingsCache<Settings>(context.clients[n]!, { retryMs: 50, onError: (e) => context.errors[n]!.push(e) }));
  await untilReady(context.clients);
});
test.after(async ({ redis, clients }) => {
  for (const client of clients) client.disconnect();
  await redis.stop();
});

async function untilReady(clients: Redis[]) {
  for (let attempt = 0; clients.some((client) => client.status !== 'ready'); attempt++) {
    if (attempt > 200) throw new Error('clients did not connect');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await new Promise((resolve) => setTimeout(resolve, 60));
}

test('an entry one process filled is the other’s, until a tenant event invalidates it; no timeout', async ({ caches: [a, b] }) => {
  await a!.fill('t1', 0, { plan: 'free' });
  assert.equal(await b!.get('t1'), { plan: 'free' });
  await b!.invalidate('t1', 1);
  assert.is(await a!.get('t1'), undefined);
  await a!.fill('t1', 1, { plan: 'pro' });
  assert.equal(await b!.get('t1'), { plan: 'pro' });
});

test('a copy read before the event cannot come back after its invalidation', async ({ caches: [a, b] }) => {
  await b!.invalidate('t2', 5);
  await a!.fill('t2', 4, { plan: 'free' }); // read the stream before revision 5 was appended
  assert.is(await b!.get('t2'), undefined);
  await a!.fill('t2', 6, { plan: 'enterprise' });
  await b!.invalidate('t2', 6); // already in the entry: kept
  assert.equal(await b!.get('t2'), { plan: 'enterprise' });
  await a!.fill('t2', 5, { plan: 'free' });
  assert.equal(await b!.get('t2'), { plan: 'enterprise' }, 'an older fill never replaces a newer entry');
});

test('Redis stalled: the cache is bypassed without failing, and the invalidation it missed is sent once it answers', async ({ clients, caches: [a, b], errors }) => {
  await a!.fill('t3', 2, { plan: 'pro' });
  // Writes (and scripts) wait on Redis past the client's 1 s bound; the data stays, as in a network partition.
  await clients[2]!.call('CLIENT', 'PAUSE', '1500', 'WRITE');
  await b!.invalidate('t3', 3);
  assert.is(errors[1]!.length, 1);
  assert.is(await b!.get('t3'), undefined, 'not trusted while its invalidation is owed');
  await b!.invalidate('t4', 1);
  assert.is(errors[1]!.length, 1, 'one report per outage');
  // Redis answers again: what was owed is sent, though this process asks nothing more.
  await new Promise((resolve) => setTimeout(resolve, 700));
  assert.is(await a!.get('t3'), undefined, 'the other process no longer sees the old plan');
  await a!.fill('t3', 3, { plan: 'enterprise' });
  assert.equal(await b!.get('t3'), { plan: 'enterprise' });
});

test('Redis down: a miss and no error for the caller; Redis back: cached again', async ({ redis, clients, caches: [a], errors }) => {
  await redis.stop();
  assert.is(await a!.get('t5'), undefined);
  await a!.fill('t5', 0, { plan: 'free' });
  await a!.invalidate('t5', 1);
  assert.is(errors[0]!.length, 1);
  await redis.start();
  await untilReady(clients);
  await a!.get('t5');
  await a!.fill('t5', 1, { plan: 'free' });
  assert.equal(await a!.get('t5'), { plan: 'free' });
});

test.run();
