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

  const before = Number((await h.database.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
  const commands: number[] = [];
  for (let n = 0; n < 6; n++) {
    commands.push((await h.command('POST', '/v1/members', a.owner, { email: `r${n}@example.org`, firstName: 'R', lastName: 'L' })).status);
  }
  assert.ok(commands.includes(429));
  const created = commands.filter((s) => s === 201).length;
  const after = Number((await h.database.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
  assert.is(after - before, created * 3, 'each accepted registration appends a seat, a claim and a member; a refused one nothing');
});

test.run();
