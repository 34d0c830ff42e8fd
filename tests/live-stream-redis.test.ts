import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import type { Pool } from 'pg';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { createRedisNotifier } from '../infra/live/redis-notifier';
import type { LiveChangeNotifier } from '../infra/live/port';
import { createRedisStreamTickets } from '../infra/live/stream-tickets';
import { createPool } from '../infra/postgres/pool';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import { createRedisClient } from '../infra/redis/redis-client';
import { startTestRedisServer, type TestRedisServer } from '../infra/redis/test-redis-server';
import { tenantsWithMemberChanges } from '../projectors/members/live-change-wakeups';
import { postgresReadModels } from '../projectors/read-models';
import { startLogTail, type LogTail } from '../projectors/runtime/log-tail';
import { createLiveHub, type LiveHub } from '../query-api/live/live-hub';
import { createMemberChangeReader, type MemberChange } from '../query-api/live/member-change-reader';

/**
 * Distributed mode's live updates: the projection publishes wake-ups through Redis, and two
 * query-API instances (two hubs, each with its own Redis subscriber) serve subscribers of the
 * same tenant. Redis is stopped and started again in the middle.
 */
type Context = {
  database: TestDatabase; redis: TestRedisServer; queryPool: Pool; publisher: LiveChangeNotifier; tail: LogTail;
  instances: { notifier: LiveChangeNotifier; hub: LiveHub }[];
};
const test = suite<Context>('live updates through Redis pub/sub: any query-API instance, Redis down and back');

test.before(async (context) => {
  context.database = await createTestDatabase();
  context.redis = await startTestRedisServer();
  context.queryPool = createPool({ connectionString: context.database.queryUrl, max: 10, applicationName: 'live-redis-test' });
  context.publisher = createRedisNotifier(context.redis.url);
  context.tail = startLogTail(createPostgresEventStore(context.database.pool), context.database.pool, postgresReadModels, {
    idleMs: 20, onApplied: (_checkpoint, events) => context.publisher.notify(tenantsWithMemberChanges(events)),
  });
  // A poll slower than the test's waits: a change seen in time came by its Redis wake-up.
  context.instances = [0, 1].map(() => {
    const notifier = createRedisNotifier(context.redis.url);
    return { notifier, hub: createLiveHub({ reader: createMemberChangeReader(context.queryPool), notifier, pollMs: 60_000 }) };
  });
});
test.after(async ({ database, redis, queryPool, publisher, tail, instances }) => {
  for (const { hub, notifier } of instances) {
    hub.close();
    await notifier.close();
  }
  await publisher.close();
  await tail.stop();
  await queryPool.end();
  await redis.stop();
  await database.drop();
});

async function register(database: TestDatabase, tenantId: string, count: number) {
  const store = createPostgresEventStore(database.pool);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const memberId = uuidv7();
    ids.push(memberId);
    await store.append(tenantStreamId('member', tenantId, memberId), [{
      eventId: uuidv7(), type: 'MemberRegistered', schemaVersion: 1, tenantId, occurredAt: new Date().toISOString(),
      actor: { system: 'test' }, correlationId: uuidv7(), causationId: uuidv7(),
      data: { memberId, email: `m${i}-${memberId}@example.org`, firstName: 'F', lastName: 'L', membershipTypeId: null, status: 'active' },
    }], 'no-stream');
  }
  return ids;
}

const collector = () => {
  const seen: MemberChange[] = [];
  return { seen, send: (changes: MemberChange[]) => { seen.push(...changes); } };
};
async function until(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('subscribers of either instance get every change of their tenant, by wake-up; with Redis down nothing is lost, and wake-ups resume when it is back', async ({ database, redis, instances }) => {
  const [tenant, other] = [uuidv7(), uuidv7()];
  const onFirst = collector();
  const onSecond = collector();
  const leaveFirst = await instances[0]!.hub.join(tenant, undefined, onFirst.send);
  const leaveSecond = await instances[1]!.hub.join(tenant, undefined, onSecond.send);
  await new Promise((resolve) => setTimeout(resolve, 200)); // both subscribed to the channel
  const ids = await register(database, tenant, 30);
  await register(database, other, 10);
  await until(() => onFirst.seen.length === 30 && onSecond.seen.length === 30, 5_000, 'all 30 changes on both instances');
  assert.equal(onFirst.seen.map((c) => c.memberId), ids);
  assert.equal(onSecond.seen.map((c) => c.memberId), ids);

  // Redis down: wake-ups are lost, the poll is the fallback (shortened here by waking by hand).
  await redis.stop();
  const whileDown = await register(database, tenant, 5);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.is(onFirst.seen.length, 30, 'no wake-up without Redis');
  await redis.start();
  // On resubscribing, the instances look at every tenant: the changes made while Redis was down arrive.
  await until(() => onFirst.seen.length === 35 && onSecond.seen.length === 35, 10_000, 'the changes made while Redis was down');
  const after = await register(database, tenant, 5);
  await until(() => onFirst.seen.length === 40 && onSecond.seen.length === 40, 5_000, 'wake-ups again after Redis is back');
  assert.equal(onSecond.seen.map((c) => c.memberId), [...ids, ...whileDown, ...after]);
  assert.ok(onSecond.seen.every((change, i) => i === 0 || change.seq > onSecond.seen[i - 1]!.seq));
  leaveFirst();
  leaveSecond();
});

test('a ticket issued by one instance is redeemed once, by any; with Redis down an instance still issues and redeems its own', async ({ redis }) => {
  const clients = [0, 1].map(() => createRedisClient(redis.url, { name: 'tickets-test' }));
  const [first, second] = clients.map((client) => createRedisStreamTickets(client));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const principal = { userId: 'u1', tenantId: uuidv7(), roles: ['admin' as const] };
  const { ticket } = await first!.issue(principal);
  const [a, b] = await Promise.all([second!.redeem(ticket), first!.redeem(ticket)]);
  assert.equal([a, b].filter(Boolean), [principal], 'exactly one redemption wins');
  assert.is(await second!.redeem('forged'), undefined);

  await redis.stop();
  const local = await first!.issue(principal);
  assert.equal(await first!.redeem(local.ticket), principal);
  assert.is(await first!.redeem(local.ticket), undefined);
  await redis.start();
  for (const client of clients) client.disconnect();
});

test.run();
