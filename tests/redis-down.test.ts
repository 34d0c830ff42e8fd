import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../infra/auth/jwt';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import { startTestRedisServer, type TestRedisServer } from '../infra/redis/test-redis-server';
import { startRedisPlatform, type RedisPlatform } from './redis-platform';
import { followStream, type StreamFollower } from './sse-follower';

/**
 * DESIGN §12, "Redis down, platform up", on the distributed mode's wiring (redis-platform.ts):
 * under a steady load of commands and queries, Redis is stopped for a few seconds and started
 * again. No reply is a 5xx, the rate limit keeps answering (per process), live clients miss no
 * change and see none twice, a stream ticket still works, and wake-ups resume afterwards.
 */
/** What a failing test leaves running (its load, its live clients): stopped first, or closing the APIs would wait on them. */
type Context = { database: TestDatabase; redis: TestRedisServer; platform: RedisPlatform; cleanups: (() => unknown)[] };
const test = suite<Context>('Redis down, platform up (distributed wiring, real PostgreSQL and redis-server)');

// Only wake-ups can explain a delivery faster than this poll.
const pollMs = 60_000;

test.before(async (context) => {
  context.database = await createTestDatabase();
  context.redis = await startTestRedisServer();
  context.cleanups = [];
  context.platform = await startRedisPlatform(context.database, context.redis.url, { pollMs, rateLimitPerSecond: 10_000 });
});
test.after(async ({ database, redis, platform, cleanups }) => {
  for (const cleanup of cleanups) await cleanup();
  await platform.close();
  await redis.stop();
  await database.drop();
});

type Phase = 'before' | 'down' | 'after';
type Recorded = { phase: Phase; route: string; status: number; rateLimited: boolean; probe: boolean; text?: string };
type Change = { memberId: string; revision: number; status: string; position: number };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const keyOf = (change: Change) => `${change.memberId}/${change.revision}/${change.status}/${change.position}`;

test('under load, Redis stopped and started again: no 5xx, limits answer, live clients get every change once, in order', async ({ redis, platform, cleanups }) => {
  const state = { phase: 'before' as Phase, stopping: false };
  const replies: Recorded[] = [];
  const token = (tenantId: string, roles: Role[], userId: string) => platform.tokens.sign({ userId, tenantId, roles });
  /** One HTTP exchange over loopback, recorded with the phase it started in. */
  async function call(base: string, method: string, path: string, bearer: string, body?: unknown, headers: Record<string, string> = {}, probe = false) {
    const phase = state.phase;
    const route = `${method} ${path.replace(/[0-9a-f-]{36}/g, ':id').replace(/\?.*/, '')}`;
    try {
      const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await response.text();
      replies.push({ phase, route, probe, status: response.status, rateLimited: response.headers.has('ratelimit-limit'), ...(response.ok ? {} : { text }) });
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
    } catch (error) {
      replies.push({ phase, route, probe, status: 0, rateLimited: false, text: String(error) });
      return { status: 0, headers: new Headers(), body: undefined };
    }
  }
  const command = (method: string, path: string, bearer: string, body?: unknown) => call(platform.commandUrl, method, path, bearer, body);
  const query = (path: string, bearer: string, headers?: Record<string, string>) => call(platform.queryUrl, 'GET', path, bearer, undefined, headers);

  const operator = await token(uuidv7(), ['platform'], 'operator');
  const provision = async (plan: string) => {
    const reply = await command('POST', '/v1/tenants', operator, { name: `Club ${plan}`, subdomain: `t${uuidv7().slice(-12)}`, plan });
    assert.is(reply.status, 201);
    return reply.body.tenantId as string;
  };
  const tenants = await Promise.all(['enterprise', 'enterprise'].map(async (plan) => {
    const tenantId = await provision(plan);
    return { tenantId, owner: await token(tenantId, ['owner'], 'owner'), changes: [] as Change[] };
  }));
  const [a, b] = tenants as [typeof tenants[0], typeof tenants[0]];

  // Live clients: two by bearer on A, one on B, one on A by tickets (a new ticket for each reconnection).
  const byBearer = (bearer: string) => followStream(async (lastEventId) => ({ url: `${platform.queryUrl}/v1/stream`,
    headers: { authorization: `Bearer ${bearer}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) } }));
  const byTicket = (bearer: string, from?: string) => followStream(async (lastEventId) => {
    const issued = await call(platform.queryUrl, 'POST', '/v1/stream/tickets', bearer);
    const resume = lastEventId ?? from;
    return { url: `${platform.queryUrl}/v1/stream?ticket=${encodeURIComponent(issued.body?.ticket ?? 'none')}${resume ? `&lastEventId=${resume}` : ''}` };
  });
  const followers: { tenant: typeof a; follower: StreamFollower; name: string }[] = [
    { tenant: a, name: 'A owner', follower: byBearer(a.owner) },
    { tenant: a, name: 'A staff', follower: byBearer(await token(a.tenantId, ['staff'], 'staff')) },
    { tenant: a, name: 'A by ticket', follower: byTicket(a.owner) },
    { tenant: b, name: 'B owner', follower: byBearer(b.owner) },
  ];
  cleanups.push(() => { for (const { follower } of followers) follower.close(); });
  for (let waited = 0; platform.hub.stats().subscribers < followers.length; waited += 20) {
    if (waited > 10_000) throw new Error('the live clients did not connect');
    await sleep(20);
  }

  // The load: per tenant two writers, each on its own members (register, then details, suspend, reactivate in turn), and a reader.
  const writer = async (tenant: typeof a, name: string) => {
    const members: { id: string; revision: number; status: string; commands: number }[] = [];
    for (let step = 0; !state.stopping; step += 1) {
      if (members.length < 8 || (step % 5 === 0 && members.length < 40)) {
        const reply = await command('POST', '/v1/members', tenant.owner, { email: `${name}-${step}@example.org`, firstName: 'Ada', lastName: 'Load' });
        if (reply.status !== 201) continue;
        members.push({ id: reply.body.memberId, revision: 0, status: 'active', commands: 0 });
        tenant.changes.push({ memberId: reply.body.memberId, revision: 0, status: 'active', position: reply.body.position });
      } else {
        const member = members[step % members.length]!;
        const [method, path, body, status] = ([
          ['PATCH', `/v1/members/${member.id}`, { firstName: `Ada${step}` }, member.status],
          ['POST', `/v1/members/${member.id}/suspend`, { reason: 'redis-down test' }, 'suspended'],
          ['POST', `/v1/members/${member.id}/reactivate`, {}, 'active'],
        ] as const)[member.commands % 3]!;
        const reply = await command(method, path, tenant.owner, body);
        if (reply.status !== 200) continue;
        Object.assign(member, { revision: member.revision + 1, status, commands: member.commands + 1 });
        tenant.changes.push({ memberId: member.id, revision: member.revision, status, position: reply.body.position });
      }
      await sleep(5);
    }
  };
  const reader = async (tenant: typeof a) => {
    while (!state.stopping) {
      await query('/v1/members', tenant.owner);
      const change = tenant.changes[Math.floor(Math.random() * tenant.changes.length)];
      if (change) await query(`/v1/members/${change.memberId}`, tenant.owner, { 'x-consistency-position': String(change.position) });
      await sleep(5);
    }
  };
  const load = Promise.all(tenants.flatMap((tenant, n) => [writer(tenant, `w${n}a`), writer(tenant, `w${n}b`), reader(tenant)]));
  cleanups.unshift(async () => { state.stopping = true; await load; });

  // A tight limit (a free tenant: 300 a minute for one token subject), spent at once by a 300-member bulk action.
  const probeTenant = await provision('free');
  const spend = (subject: string) => async () => call(platform.commandUrl, 'POST', '/v1/members/bulk', await token(probeTenant, ['admin'], subject),
    { action: 'suspend', reason: 'probe', memberIds: Array.from({ length: 300 }, () => uuidv7()) }, {}, true);
  const probeRead = async (subject: string) => call(platform.queryUrl, 'GET', '/v1/members', await token(probeTenant, ['admin'], subject), undefined, {}, true);

  await sleep(2_500);
  // Redis up: the limit is shared, what the command API spent the query API sees.
  assert.is((await spend('probe-up')()).status, 200);
  const sharedRead = await probeRead('probe-up');
  assert.ok(sharedRead.status === 429 || Number(sharedRead.headers.get('ratelimit-remaining')) <= 10, `shared: ${sharedRead.status} ${sharedRead.headers.get('ratelimit-remaining')}`);

  await redis.stop();
  state.phase = 'down';
  // A browser opening the stream now: its ticket is issued and redeemed in the process's memory; it reads from the start.
  const late = { tenant: a, name: 'A by ticket, opened while Redis was down', follower: byTicket(a.owner, '0') };
  followers.push(late);
  // Redis down: each process limits on its own; the command API still refuses past the limit, the query API has its own buckets.
  const spendDown = spend('probe-down');
  const spent = await spendDown();
  assert.is(spent.status, 200);
  assert.is(spent.headers.get('ratelimit-remaining'), '0');
  const refused = await spendDown();
  assert.is(refused.status, 429, 'the per-process limit still binds');
  assert.ok(refused.headers.get('retry-after'));
  const ownBuckets = await probeRead('probe-down');
  assert.is(ownBuckets.status, 200);
  assert.ok(Number(ownBuckets.headers.get('ratelimit-remaining')) >= 290, `per process: ${ownBuckets.headers.get('ratelimit-remaining')}`);
  await sleep(3_000);
  assert.equal(late.follower.statuses.slice(0, 1), [200], 'a ticket issued while Redis was down opens the stream');

  await redis.start();
  state.phase = 'after';
  await sleep(3_000);
  state.stopping = true;
  await load;

  // Every reply of the load (and of the live clients' ticket requests): none a 5xx, none refused; all carry the limit's headers.
  const loadReplies = replies.filter((reply) => !reply.probe);
  const failures = loadReplies.filter((reply) => reply.status >= 300 || reply.status === 0);
  assert.equal(failures.slice(0, 5), [], `${failures.length} failed replies`);
  for (const phase of ['before', 'down', 'after'] as const) {
    const ofPhase = loadReplies.filter((reply) => reply.phase === phase && reply.route !== 'POST /v1/tenants');
    assert.ok(ofPhase.length >= 30, `load kept going ${phase}: ${ofPhase.length} replies`);
    assert.ok(ofPhase.every((reply) => reply.rateLimited), `RateLimit-* headers on every reply ${phase}`);
  }

  // Each live client has seen every change of its tenant, once, in log order; the last ones came after the restart, by wake-up.
  const seen = (follower: StreamFollower) => follower.messages.filter((message) => message.event === 'member')
    .map((message) => ({ ...JSON.parse(message.data) as Change, id: message.id }));
  const expected = (tenant: typeof a) => [...tenant.changes].sort((x, y) => x.position - y.position).map(keyOf);
  for (let waited = 0; followers.some(({ tenant, follower }) => seen(follower).length < tenant.changes.length); waited += 50) {
    if (waited > 15_000) break;
    await sleep(50);
  }
  for (const { tenant, follower, name } of followers) {
    const messages = seen(follower);
    assert.ok(messages.every((message) => message.id === String(message.position)), `${name}: id = position`);
    assert.equal(messages.map(keyOf), expected(tenant), `${name}: every change once, in order`);
    assert.ok(follower.statuses.every((status) => status === 200), `${name}: connections ${follower.statuses}`);
  }

  // Wake-ups again: one more change reaches every client of A well within the poll.
  const startedAt = Date.now();
  const more = await command('POST', '/v1/members', a.owner, { email: 'after-restart@example.org', firstName: 'Late', lastName: 'Wake' });
  assert.is(more.status, 201);
  const ofA = followers.filter(({ tenant }) => tenant === a);
  while (ofA.some(({ follower }) => !seen(follower).some((change) => change.memberId === more.body.memberId))) {
    if (Date.now() - startedAt > 1_000) assert.unreachable('no wake-up within 1 s after Redis came back');
    await sleep(10);
  }
  for (const { follower } of followers) follower.close();
  console.log(`redis-down: ${loadReplies.length} replies (${['before', 'down', 'after'].map((p) => loadReplies.filter((r) => r.phase === p).length).join('/')}), `
    + `${a.changes.length + b.changes.length} changes, reconnects ${followers.map(({ follower }) => follower.reconnects)}, wake-up in ${Date.now() - startedAt} ms`);
});

test.run();
