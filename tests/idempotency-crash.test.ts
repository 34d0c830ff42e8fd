import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { createTokenService } from '../infra/auth/jwt';
import { findFreePort } from '../infra/postgres/free-port';
import { createTestDatabase, testQueryRole, type TestDatabase } from '../infra/postgres/test-database';
import { startRole, type RoleProcess } from '../scripts/platform/role-process';
import { testJwtSecret } from './platform-harness';

/**
 * DESIGN §5: a key's effect happens at most once, whatever crashes. The command API runs as a
 * real process and is killed with SIGKILL at random moments while 2,000 keyed requests run; each
 * is retried with its key until it is answered. Every key must have had exactly its one effect.
 */
const test = suite<{ db: TestDatabase; logDir: string }>('Idempotency-Key under SIGKILL');
test.before(async (context) => {
  context.db = await createTestDatabase();
  context.logDir = await mkdtemp(path.join(tmpdir(), 'idempotency-crash-'));
});
test.after(async ({ db, logDir }) => {
  await db.drop();
  await rm(logDir, { recursive: true, force: true });
});

const requests = 2_000;
const concurrency = 16;

type Keyed = { key: string; method: 'POST'; url: string; body: unknown; token: string;
  /** The events this request must have appended, by type, exactly once each. */
  effect: string[] };

test('2,000 keyed requests through random SIGKILLs: every key has exactly one effect', async ({ db, logDir }) => {
  const port = await findFreePort();
  const logFile = path.join(logDir, 'command-api.log');
  const env = {
    DATABASE_URL: db.url, JWT_SECRET: testJwtSecret, QUERY_DB_ROLE: testQueryRole.queryRole,
    QUERY_DB_PASSWORD: testQueryRole.queryRolePassword, COMMAND_API_PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error',
  };
  const base = `http://127.0.0.1:${port}`;
  let api: RoleProcess = startRole('command-api', env, logFile);
  await untilServing(base);
  try {
    const tokens = createTokenService(testJwtSecret);
    const platform = await tokens.sign({ userId: 'operator', tenantId: uuidv7(), roles: ['platform'] });
    const created = await send(base, { method: 'POST', url: '/v1/tenants', token: platform, body: { name: 'Crash club', subdomain: 'crash-club', plan: 'enterprise' } });
    const tenantId = created.body.tenantId as string;
    const owner = await tokens.sign({ userId: 'owner', tenantId, roles: ['owner'] });
    // Registered without a key: opens the tenant's plan-usage ledger, and records activities.
    const member = await send(base, { method: 'POST', url: '/v1/members', token: owner, body: { email: 'base@example.org', firstName: 'B', lastName: 'M' } });
    const work = Array.from({ length: requests }, (_, i) => keyedRequest(i, { platform, owner, memberId: member.body.memberId }));

    let kills = 0;
    let finished = false;
    const killer = (async () => {
      while (!finished) {
        await pause(300 + Math.random() * 900);
        if (finished) break;
        await api.kill('SIGKILL');
        kills += 1;
        api = startRole('command-api', env, logFile);
        await untilServing(base);
      }
    })();
    const answers = new Map<string, number>();
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < work.length) {
        const request = work[next++]!;
        answers.set(request.key, await untilAnswered(base, request));
      }
    }));
    finished = true;
    await killer;

    assert.ok(kills >= 5, `the API was killed ${kills} times`);
    const wrong = [...answers].filter(([, status]) => status !== 201 && status !== 202);
    assert.equal(wrong, [], 'every request answered as a success');
    const { rows } = await db.pool.query(
      `SELECT metadata->>'idempotencyKey' AS key, type, count(*)::int AS n FROM events
       WHERE metadata ? 'idempotencyKey' GROUP BY 1, 2`);
    const seen = new Map<string, Map<string, number>>();
    for (const row of rows) seen.set(row.key, (seen.get(row.key) ?? new Map()).set(row.type, row.n));
    const mismatches = work.filter((request) => {
      const types = seen.get(request.key) ?? new Map();
      return types.size !== request.effect.length || request.effect.some((type) => types.get(type) !== 1);
    }).map((request) => ({ key: request.key, expected: request.effect, got: Object.fromEntries(seen.get(request.key) ?? []) }));
    assert.equal(mismatches.slice(0, 5), [], `${mismatches.length} keys without exactly one effect (${kills} kills)`);
  } catch (error) {
    console.error((await readFile(logFile, 'utf8').catch(() => '')).slice(-3000));
    throw error;
  } finally {
    await api.kill('SIGTERM');
  }
});

function keyedRequest(i: number, who: { platform: string; owner: string; memberId: string }): Keyed {
  const key = `crash-${i}`;
  switch (i % 4) {
    case 0:
      return { key, method: 'POST', url: '/v1/membership-types', token: who.owner, effect: ['MembershipTypeCounted', 'MembershipTypeCreated'],
        body: { name: `Type ${i}`, monthlyPriceCents: 1000 + i, currency: 'EUR', features: ['a', 'b'] } };
    case 1:
      return { key, method: 'POST', url: '/v1/members', token: who.owner, effect: ['MemberSeatTaken', 'ValueClaimed', 'MemberRegistered'],
        body: { email: `m${i}@example.org`, firstName: 'Ada', lastName: `L${i}` } };
    case 2:
      return { key, method: 'POST', url: '/v1/activities', token: who.owner, effect: ['ActivityRecorded'],
        body: { items: [{ memberId: who.memberId, type: 'login', occurredAt: new Date().toISOString() }] } };
    default:
      return { key, method: 'POST', url: '/v1/tenants', token: who.platform, effect: ['ValueClaimed', 'TenantCreated'],
        body: { name: `Club ${i}`, subdomain: `club-${i}`, plan: 'pro' } };
  }
}

/** Retries with the same key through refused connections, 5xx and "still in progress" until answered. */
async function untilAnswered(base: string, request: Keyed): Promise<number> {
  for (let attempt = 1; attempt < 2_000; attempt++) {
    const reply = await send(base, request, { 'idempotency-key': request.key }).catch(() => undefined);
    const retry = reply === undefined || reply.status >= 500 || reply.body?.code === 'idempotency-key-in-progress';
    if (!retry) return reply.status;
    await pause(20 + Math.random() * 80);
  }
  throw new Error(`${request.key} never answered`);
}

async function send(base: string, request: { method?: string; url: string; token: string; body: unknown }, headers: Record<string, string> = {}) {
  const response = await fetch(base + request.url, {
    method: request.method ?? 'POST', signal: AbortSignal.timeout(10_000),
    headers: { authorization: `Bearer ${request.token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(request.body),
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

async function untilServing(base: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await fetch(`${base}/health`).then((r) => r.ok, () => false)) return;
    await pause(50);
  }
  throw new Error('the command API did not start');
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.run();
