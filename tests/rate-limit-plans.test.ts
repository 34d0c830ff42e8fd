import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { evolveTenant, initialTenantState, planRequestsPerMinute, type Tenant } from '../domain/tenant';
import { createMemoryTenantSettingsCache } from '../infra/cache/tenant-settings-cache';
import { createPool } from '../infra/postgres/pool';
import { createReadModelDatabase } from '../infra/read-models/database';
import { createTenantPlans } from '../query-api/tenant-plans';
import { subjectShare } from '../infra/http/rate-limit';
import { startHarness, type Harness, type Reply } from './platform-harness';

// The operator cap (RATE_LIMIT_PER_SECOND) is the harness default, far above the plans: they bind.
const test = suite<{ h: Harness }>('rate limits by plan, token subject and work');
test.before(async (context) => {
  context.h = await startHarness();
});
test.after(async ({ h }) => h.close());

const headersOf = (reply: Reply) =>
  ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'].map((name) => Number(reply.headers[name]));
const suspendMany = (count: number) => ({ action: 'suspend', reason: 'audit', memberIds: Array.from({ length: count }, () => uuidv7()) });

test('a bulk action costs one per member; one subject has a share of its tenant, and the tenant as a whole its plan', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Free club', 'free');
  const tenantQuota = planRequestsPerMinute.free;
  const subjectQuota = tenantQuota * subjectShare;

  const first = await h.command('POST', '/v1/members/bulk', owner, suspendMany(250));
  assert.is(first.status, 200);
  assert.equal(headersOf(first).slice(0, 2), [subjectQuota, subjectQuota - 250], 'the tighter limit: this subject');

  const before = await h.database.pool.query('SELECT count(*)::int AS n FROM events');
  const refused = await h.command('POST', '/v1/members/bulk', owner, suspendMany(100));
  assert.is(refused.status, 429);
  assert.is(refused.body.code, 'rate-limited');
  assert.ok(Number(refused.headers['retry-after']) >= 1);
  assert.equal(headersOf(refused).slice(0, 2), [subjectQuota, subjectQuota - 250]);
  // A refused request costs nothing: the same subject can still spend what it had left.
  assert.is((await h.command('POST', '/v1/members/bulk', owner, suspendMany(40))).status, 200);
  const after = await h.database.pool.query('SELECT count(*)::int AS n FROM events');
  assert.is(after.rows[0].n, before.rows[0].n, 'unknown members: nothing appended either way');

  // Another user of the tenant has its own share, within what the tenant has left (600 - 290).
  const admin = await h.token(tenantId, ['admin'], 'user-2');
  assert.is((await h.command('POST', '/v1/members/bulk', admin, suspendMany(300))).status, 200);
  const third = await h.token(tenantId, ['admin'], 'user-3');
  const overTenant = await h.command('POST', '/v1/members/bulk', third, suspendMany(20));
  assert.is(overTenant.status, 429, 'the tenant has 10 left, though this subject has its whole share');
  assert.is(headersOf(overTenant)[0], tenantQuota);
  assert.is((await h.command('POST', '/v1/members/bulk', third, suspendMany(5))).status, 200);
});

test('an activities call costs one per 100 items, at least one', async ({ h }) => {
  const { owner } = await h.createTenant('Activities club', 'free');
  const quota = planRequestsPerMinute.free * subjectShare;
  const member = await h.command('POST', '/v1/members', owner, { email: 'a@example.org', firstName: 'A', lastName: 'B' });
  const items = (count: number) => Array.from({ length: count }, () => ({ memberId: member.body.memberId, type: 'login', occurredAt: new Date().toISOString() }));
  const afterRegistration = headersOf(member)[1]!;
  assert.is(afterRegistration, quota - 1);
  const large = await h.command('POST', '/v1/activities', owner, { items: items(250) });
  assert.is(large.status, 202);
  assert.is(headersOf(large)[1], afterRegistration - 3);
  const small = await h.command('POST', '/v1/activities', owner, { items: items(1) });
  assert.is(headersOf(small)[1], afterRegistration - 4);
});

test('the query API limits by the plan it reads, and every answer of a limited route says where the caller stands', async ({ h }) => {
  const { owner } = await h.createTenant('Pro club', 'pro');
  // The plan comes from rm_tenants: wait for the tenant's row.
  for (let attempt = 0; (await h.query('/v1/tenant', owner)).status !== 200; attempt++) {
    if (attempt > 100) throw new Error('tenant never projected');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const read = await h.query('/v1/membership-types', owner);
  assert.is(read.status, 200);
  const [limit, remaining, reset] = headersOf(read);
  assert.is(limit, planRequestsPerMinute.pro * subjectShare);
  assert.ok(remaining! < limit! && remaining! >= limit! - 110);
  assert.ok(reset! >= 1 && reset! <= 60);
  const notFound = await h.query(`/v1/members/${uuidv7()}`, owner);
  assert.is(notFound.status, 404);
  assert.is(headersOf(notFound)[0], limit, 'refusals after the limit carry the headers too');
});

test('the query API takes the plan from the tenant settings cache while it holds the tenant, else from rm_tenants', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Cached club', 'pro');
  for (let attempt = 0; (await h.query('/v1/tenant', owner)).status !== 200; attempt++) {
    if (attempt > 100) throw new Error('tenant never projected');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const db = createReadModelDatabase(createPool({ connectionString: h.database.queryUrl, max: 1, applicationName: 'tenant-plans-test' }));
  try {
    const cache = createMemoryTenantSettingsCache<Tenant>();
    let clock = 0;
    const plans = createTenantPlans(db, () => clock, cache);
    assert.is(await plans.planOf(tenantId), 'pro');
    // As the command side would have filled it after a plan change not projected yet.
    const upgraded = evolveTenant(initialTenantState, { type: 'TenantCreated', data: { tenantId, name: 'Cached club', subdomain: 'x', plan: 'enterprise' } } as never);
    await cache.fill(tenantId, 1, upgraded as Tenant);
    assert.is(await plans.planOf(tenantId), 'enterprise');
    await cache.invalidate(tenantId, 2);
    // Invalidated: rm_tenants (as projected: still pro), read again once this process's copy is 5 s old.
    await h.database.pool.query(`UPDATE rm_tenants SET plan = 'enterprise' WHERE tenant_id = $1`, [tenantId]);
    assert.is(await plans.planOf(tenantId), 'pro', 'the copy read a moment ago, not one more transaction per query');
    clock = 5_000;
    assert.is(await plans.planOf(tenantId), 'enterprise', 'then rm_tenants again');
  } finally {
    await db.destroy();
  }
});

test.run();
