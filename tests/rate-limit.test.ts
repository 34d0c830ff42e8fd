import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from './platform-harness';

const test = suite<{ h: Harness }>('per-tenant rate limit');
test.before(async (context) => {
  context.h = await startHarness({ rateLimitPerSecond: 2 });
});
test.after(async ({ h }) => h.close());

test('over its rate a tenant gets 429 with Retry-After, nothing is appended, other tenants are unaffected', async ({ h }) => {
  const a = await h.createTenant('A');
  const b = await h.createTenant('B');
  const statuses: number[] = [];
  for (let n = 0; n < 6; n++) statuses.push((await h.query('/v1/membership-types', a.owner)).status);
  assert.equal(statuses.slice(0, 4), [200, 200, 200, 200]);
  const limited = await h.query('/v1/membership-types', a.owner);
  assert.is(limited.status, 429);
  assert.is(limited.body.code, 'rate-limited');
  assert.ok(Number(limited.headers['retry-after']) >= 1);
  assert.is((await h.query('/v1/membership-types', b.owner)).status, 200);

  const countByType = async () => Object.fromEntries((await h.database.pool.query(
    `SELECT type, count(*)::int AS n FROM events WHERE type IN ('MemberSeatTaken', 'ValueClaimed', 'MemberRegistered') GROUP BY type`)).rows
    .map((row) => [row.type, row.n]));
  const before = await countByType();
  const commands: number[] = [];
  for (let n = 0; n < 6; n++) {
    commands.push((await h.command('POST', '/v1/members', a.owner, { email: `r${n}@example.org`, firstName: 'R', lastName: 'L' })).status);
  }
  assert.ok(commands.includes(429));
  const created = commands.filter((s) => s === 201).length;
  const after = await countByType();
  for (const type of ['MemberSeatTaken', 'ValueClaimed', 'MemberRegistered']) {
    assert.is((after[type] ?? 0) - (before[type] ?? 0), created, `each accepted registration appends one ${type}; a refused one nothing`);
  }
});

test.run();
