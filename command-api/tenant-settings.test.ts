import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { eventDefinitions } from '../domain/event-definitions';
import { subscriptionFact } from '../domain/tenant/billing-fixtures';
import { tenantBilling, type Tenant } from '../domain/tenant';
import { createRedisTenantSettingsCache } from '../infra/cache/redis-tenant-settings-cache';
import { guardEventStore } from '../infra/event-store/guarded-event-store';
import type { EventStore } from '../infra/event-store/port';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import { createRedisClient, type Redis } from '../infra/redis/redis-client';
import { startTestRedisServer, type TestRedisServer } from '../infra/redis/test-redis-server';
import { handleCommand, type CommandContext } from './handle-command';
import { createStreamStates } from './stream-states';
import { createTenantGuard, type TenantGuard } from './tenant-guard';
import { invalidatingTenantSettings } from './tenant-settings-invalidation';
import { tenantDecider, tenantStream } from './tenant-stream';

type Context = { db: TestDatabase; redis: TestRedisServer; clients: Redis[]; store: EventStore; commandApi: TenantGuard; scheduler: EventStore };
const test = suite<Context>('the tenant lookup cached in Redis, invalidated by tenant events');

let clock = 0;
// A command API process (its guard) and a scheduler process (its appends), each its own Redis connection.
test.before(async (context) => {
  context.db = await createTestDatabase();
  context.redis = await startTestRedisServer();
  context.clients = [0, 1].map((n) => createRedisClient(context.redis.url, { name: `tenant-settings-${n}` }));
  context.store = guardEventStore(createPostgresEventStore(context.db.pool), eventDefinitions);
  const [commandCache, schedulerCache] = context.clients.map((client) => createRedisTenantSettingsCache<Tenant>(client, { retryMs: 50 }));
  context.commandApi = createTenantGuard(context.store, () => clock, commandCache);
  context.scheduler = invalidatingTenantSettings(context.store, schedulerCache!);
  for (let attempt = 0; context.clients.some((client) => client.status !== 'ready'); attempt++) {
    if (attempt > 200) throw new Error('Redis clients did not connect');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
});
test.after(async ({ db, redis, clients }) => {
  for (const client of clients) client.disconnect();
  await redis.stop();
  await db.drop();
});

const tenantId = uuidv7();
const context: CommandContext = {
  tenantId, actor: { system: 'scheduler' }, correlationId: 'c', causationId: 'c', now: '2026-01-01T00:00:00.000Z', newId: uuidv7,
};
const decideOn = (store: EventStore, command: Parameters<typeof tenantDecider.decide>[0]) =>
  handleCommand(createStreamStates(store), tenantStream(tenantId), tenantDecider, command, context);
const planOf = async (guard: TenantGuard) => tenantBilling(await guard(tenantId)).plan;

test('a plan changed in another process is seen at the next request; an unchanged tenant is served from the cache, however old', async ({ store, commandApi, scheduler }) => {
  await decideOn(scheduler, { type: 'CreateTenant', tenantId, name: 'Club', subdomain: `c${tenantId.slice(-8)}`, plan: 'free' });
  assert.is(await planOf(commandApi), 'free');
  await decideOn(scheduler, { type: 'RecordBillingFact', fact: subscriptionFact(1_767_225_600, 'evt_1', { plan: 'pro' }) });
  assert.is(await planOf(commandApi), 'pro', 'invalidated by the event, not after a while');

  // An append that skips the invalidation (none of ours does) shows the cache is what answers: no timeout.
  await decideOn(store, { type: 'RecordBillingFact', fact: subscriptionFact(1_767_225_700, 'evt_2', { plan: 'enterprise' }) });
  clock += 3_600_000;
  assert.is(await planOf(commandApi), 'pro');
});

test('Redis down: the lookup reads the event store, never fails; Redis back: invalidated through it again', async ({ redis, clients, commandApi, scheduler }) => {
  await redis.stop();
  assert.is(await planOf(commandApi), 'enterprise', 'bypassed: read from the store');
  await decideOn(scheduler, { type: 'RecordBillingFact', fact: subscriptionFact(1_767_225_800, 'evt_3', { plan: 'pro' }) });
  assert.is(await planOf(commandApi), 'pro');
  await redis.start();
  for (let attempt = 0; clients.some((client) => client.status !== 'ready'); attempt++) {
    if (attempt > 200) throw new Error('Redis clients did not reconnect');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.is(await planOf(commandApi), 'pro');
  await decideOn(scheduler, { type: 'RecordBillingFact', fact: subscriptionFact(1_767_225_900, 'evt_4', { plan: 'enterprise' }) });
  assert.is(await planOf(commandApi), 'enterprise');
});

test.run();
