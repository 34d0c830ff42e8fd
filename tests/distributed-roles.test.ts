import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { createTokenService } from '../infra/auth/jwt';
import { createTestDatabase, testQueryRole, type TestDatabase } from '../infra/postgres/test-database';
import { startRole, type RoleProcess } from '../scripts/platform/role-process';
import { freePort, waitUntilServing } from './distributed/scenario';
import { kafkaAvailable, startTestBroker } from './kafka-harness';
import { testJwtSecret } from './platform-harness';

type Context = { broker: Awaited<ReturnType<typeof startTestBroker>>; database: TestDatabase; roles: RoleProcess[]; logDir: string;
  ports: { command: number; query: number; publisher: number; projectors: number } };

/**
 * Distributed mode as an operator runs it: the four roles as separate processes configured by
 * environment only, on a real broker and PostgreSQL. Read-your-writes must hold across Kafka.
 */
const skip = !kafkaAvailable();
const roles = suite<Context>('distributed roles');
const test = (name: string, run: Parameters<typeof roles>[1]) => (skip ? roles.skip(name, run) : roles(name, run));

roles.before(async (context) => {
  if (skip) return;
  context.broker = await startTestBroker();
  context.database = await createTestDatabase();
  context.logDir = await mkdtemp(path.join(tmpdir(), 'roles-'));
  context.ports = { command: await freePort(), query: await freePort(), publisher: await freePort(), projectors: await freePort() };
  const env = {
    DATABASE_URL: context.database.url, QUERY_DATABASE_URL: context.database.queryUrl, QUERY_DB_ROLE: testQueryRole.queryRole,
    QUERY_DB_PASSWORD: testQueryRole.queryRolePassword, JWT_SECRET: testJwtSecret, KAFKA_BROKERS: context.broker.brokers,
    KAFKA_TOPIC: 'membership-events', KAFKA_PARTITIONS: '3', LOG_LEVEL: 'warn', KAFKAJS_NO_PARTITIONER_WARNING: '1',
    COMMAND_API_PORT: String(context.ports.command), QUERY_API_PORT: String(context.ports.query),
    PUBLISHER_PORT: String(context.ports.publisher), PROJECTORS_PORT: String(context.ports.projectors),
  };
  const log = (name: string) => path.join(context.logDir, `${name}.log`);
  context.roles = (['command-api', 'query-api', 'publisher', 'projectors'] as const).map((role) => startRole(role, env, log(role)));
  await waitUntilServing(context.ports.publisher, 'publisher_lag_events');
  await waitUntilServing(context.ports.projectors, 'projector_lag_events');
  for (const port of [context.ports.command, context.ports.query]) await waitUntilServing(port, 'process_resident_memory_bytes');
});

roles.after(async (context) => {
  if (skip) return;
  const exits = await Promise.all(context.roles.map((role) => role.kill('SIGTERM')));
  await rm(context.logDir, { recursive: true, force: true });
  await context.database.drop();
  await context.broker.remove();
  assert.equal(exits, ['0', '0', '0', '0'], 'every role stops cleanly on SIGTERM');
});

async function call(port: number, method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`http://127.0.0.1:${port}${url}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json() as any };
}

test('a command through the command API process is readable at once through the query API process with its position', async ({ ports }) => {
  const tokens = createTokenService(testJwtSecret);
  const operator = await tokens.sign({ userId: 'op', tenantId: uuidv7(), roles: ['platform'] });
  const tenant = await call(ports.command, 'POST', '/v1/tenants', operator, { name: 'Rowing Club', subdomain: `rowing${uuidv7().slice(-8)}`, plan: 'pro' });
  assert.is(tenant.status, 201);
  const owner = await tokens.sign({ userId: 'owner', tenantId: tenant.body.tenantId, roles: ['owner'] });
  for (let n = 0; n < 20; n++) {
    const created = await call(ports.command, 'POST', '/v1/members', owner, { email: `rower${n}@example.org`, firstName: 'R', lastName: `${n}` });
    assert.is(created.status, 201);
    const suspended = await call(ports.command, 'POST', `/v1/members/${created.body.memberId}/suspend`, owner, { reason: 'winter' });
    const read = await call(ports.query, 'GET', `/v1/members/${created.body.memberId}`, owner, undefined,
      { 'x-consistency-position': String(suspended.body.position) });
    assert.is(read.status, 200, JSON.stringify(read.body));
    assert.is(read.body.status, 'suspended', 'the read waited for the projector to apply the suspension');
  }
  const list = await call(ports.query, 'GET', '/v1/members?limit=50', owner);
  assert.is(list.body.total, 20);
  // No CLICKHOUSE_URL in this deployment: analytics are unavailable, said so, nothing else breaks.
  const analytics = await call(ports.query, 'GET', '/v1/analytics/overview', owner);
  assert.equal([analytics.status, analytics.body.code], [503, 'analytics-unavailable']);
});

test('another tenant\'s position is refused as X-Consistency-Position, not waited on', async ({ ports }) => {
  const tokens = createTokenService(testJwtSecret);
  const operator = await tokens.sign({ userId: 'op', tenantId: uuidv7(), roles: ['platform'] });
  const other = await call(ports.command, 'POST', '/v1/tenants', operator, { name: 'Other', subdomain: `other${uuidv7().slice(-8)}`, plan: 'free' });
  const mine = await call(ports.command, 'POST', '/v1/tenants', operator, { name: 'Mine', subdomain: `mine${uuidv7().slice(-8)}`, plan: 'free' });
  const owner = await tokens.sign({ userId: 'owner', tenantId: mine.body.tenantId, roles: ['owner'] });
  const read = await call(ports.query, 'GET', '/v1/members', owner, undefined, { 'x-consistency-position': String(other.body.position) });
  assert.is(read.status, 400);
  assert.is(read.body.errors[0].path, 'X-Consistency-Position');
});

test('every role serves /health, /ready and /metrics; the workers report lag and partitions', async ({ ports }) => {
  for (const port of Object.values(ports)) {
    assert.is((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
    assert.is((await fetch(`http://127.0.0.1:${port}/ready`)).status, 200);
  }
  await waitUntilServing(ports.projectors, 'projector_assigned_partitions');
  const projectors = await (await fetch(`http://127.0.0.1:${ports.projectors}/metrics`)).text();
  assert.match(projectors, /projector_assigned_partitions\{projection="postgres-read-models",topic="membership-events"\} 3/);
  assert.match(projectors, /projector_lag_seconds\{projection="postgres-read-models",topic="membership-events"\} \d/);
  assert.match(projectors, /projector_dead_lettered_total\{projection="postgres-read-models",topic="membership-events"\} 0/);
  const publisher = await (await fetch(`http://127.0.0.1:${ports.publisher}/metrics`)).text();
  assert.match(publisher, /publisher_active\{topic="membership-events"\} 1/);
  assert.match(publisher, /publisher_published_events_total\{topic="membership-events"\} [1-9]/);
});

roles.run();
