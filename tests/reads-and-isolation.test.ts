import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPool } from '../infra/postgres/pool';
import { startHarness, type Harness } from './platform-harness';

const test = suite<{ h: Harness }>('query API: isolation, pagination, search, export, audit');
test.before(async (context) => {
  context.h = await startHarness();
});
test.after(async ({ h }) => h.close());

/** Registers members and returns the highest position, with the ids for tests that track them. */
async function addMembers(h: Harness, owner: string, count: number, prefix: string, ids: string[] = []) {
  let position = 0;
  for (let n = 0; n < count; n++) {
    const reply = await h.command('POST', '/v1/members', owner, { email: `${prefix}${n}@example.org`, firstName: `${prefix}${n}`, lastName: `Family${n % 3}` });
    position = Math.max(position, reply.body.position);
    ids.push(reply.body.memberId);
  }
  return position;
}

test('row-level security: a raw SELECT under tenant A’s setting returns none of tenant B’s rows', async ({ h }) => {
  const a = await h.createTenant('A');
  const b = await h.createTenant('B');
  const [aIds, bIds] = [[] as string[], [] as string[]];
  await addMembers(h, a.owner, 2, 'a', aIds);
  await addMembers(h, b.owner, 3, 'b', bIds);
  const occurredAt = new Date().toISOString();
  await h.command('POST', '/v1/activities', a.owner, { items: aIds.map((memberId) => ({ memberId, type: 'login', occurredAt })) });
  const { body: { position } } = await h.command('POST', '/v1/activities', b.owner, { items: bIds.map((memberId) => ({ memberId, type: 'login', occurredAt })) });
  await h.query('/v1/members', b.owner, { 'x-consistency-position': String(position) });
  const asQueryRole = createPool({ connectionString: h.database.queryUrl, max: 1, applicationName: 'rls-test' });
  try {
    const client = await asQueryRole.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [a.tenantId]);
      const members = await client.query('SELECT tenant_id FROM rm_members');
      assert.is(members.rowCount, 2);
      assert.ok(members.rows.every((r) => r.tenant_id === a.tenantId));
      assert.is((await client.query('SELECT * FROM rm_members WHERE tenant_id = $1', [b.tenantId])).rowCount, 0);
      assert.is((await client.query('SELECT * FROM rm_tenants')).rowCount, 1);
      const activity = await client.query('SELECT tenant_id FROM rm_member_activity');
      assert.is(activity.rowCount, 2);
      assert.ok(activity.rows.every((r) => r.tenant_id === a.tenantId));
      assert.ok((await client.query('SELECT tenant_id FROM events')).rows.every((r) => r.tenant_id === a.tenantId));
      await client.query('COMMIT');
      assert.is((await client.query('SELECT * FROM rm_members')).rowCount, 0, 'no tenant set: no rows');
      const write = await client.query('INSERT INTO rm_tenants VALUES ($1, \'x\', \'x\', \'free\', now(), now(), 0)', [b.tenantId]).catch((e) => e);
      assert.instance(write, Error, 'the query role cannot write');
    } finally {
      client.release();
    }
  } finally {
    await asQueryRole.end();
  }
});

test('filters, search, sort and totals', async ({ h }) => {
  const { owner } = await h.createTenant();
  await addMembers(h, owner, 6, 'm');
  const { body: { memberId } } = await h.command('POST', '/v1/members', owner, { email: 'zed@example.org', firstName: 'Zed', lastName: 'Quux' });
  const suspended = await h.command('POST', `/v1/members/${memberId}/suspend`, owner, { reason: 'x' });
  const wait = { 'x-consistency-position': String(suspended.body.position) };
  const bySearch = await h.query('/v1/members?q=quu', owner, wait);
  assert.equal(bySearch.body.items.map((m: { memberId: string }) => m.memberId), [memberId]);
  assert.is(bySearch.body.total, 1);
  const byStatus = await h.query('/v1/members?status=suspended', owner);
  assert.is(byStatus.body.total, 1);
  const byEmailSearch = await h.query('/v1/members?q=M3%40EXAMPLE', owner);
  assert.is(byEmailSearch.body.total, 1);
  const byName = await h.query('/v1/members?sort=name&limit=200', owner);
  const names = byName.body.items.map((m: { lastName: string; firstName: string }) => `${m.lastName.toLowerCase()} ${m.firstName.toLowerCase()}`);
  assert.equal(names, [...names].sort());
  assert.is(byName.body.total, 7);
  // The last page, and an empty one past it, still tell the total: with the counters' filters
  // (the total rides along with the page) and the others (counted beside it).
  const pastTheEnd = Buffer.from(JSON.stringify({ sort: 'name', after: ['zzzz', 'zzzz', 'ffffffff-ffff-7fff-bfff-ffffffffffff'] })).toString('base64url');
  for (const filter of ['', '&q=example']) {
    const second = await h.query(`/v1/members?sort=name&limit=6${filter}&cursor=${(await h.query(`/v1/members?sort=name&limit=6${filter}`, owner)).body.nextCursor}`, owner);
    assert.equal([second.body.items.length, second.body.nextCursor, second.body.total], [1, null, 7], filter);
    const empty = await h.query(`/v1/members?sort=name${filter}&cursor=${pastTheEnd}`, owner);
    assert.equal([empty.body.items.length, empty.body.nextCursor, empty.body.total], [0, null, 7], filter);
  }
});

test('cursor pagination visits every member exactly once while members are being added', async ({ h }) => {
  const { owner } = await h.createTenant();
  const existing: string[] = [];
  const position = await addMembers(h, owner, 25, 'p', existing);
  const seen: string[] = [];
  let cursor: string | null = null;
  let page = 0;
  let url = '/v1/members?limit=4&sort=createdAt';
  for (;;) {
    const reply = await h.query(url, owner, { 'x-consistency-position': String(position) });
    assert.is(reply.status, 200, reply.text);
    seen.push(...reply.body.items.map((m: { memberId: string }) => m.memberId));
    // Concurrent inserts between pages: they must never make the walk repeat or skip a member.
    if (page++ < 3) await addMembers(h, owner, 2, `late${page}-`);
    cursor = reply.body.nextCursor;
    if (!cursor) break;
    url = `/v1/members?limit=4&sort=createdAt&cursor=${cursor}`;
  }
  assert.is(new Set(seen).size, seen.length, 'no member twice');
  assert.ok(existing.every((id) => seen.includes(id)), 'every member that existed before the walk is visited');
  const descending = await h.query('/v1/members?limit=200', owner);
  const created = descending.body.items.map((m: { createdAt: string }) => m.createdAt);
  assert.equal(created, [...created].sort().reverse());
});

test('CSV export streams the filtered list with a header and escapes cells', async ({ h }) => {
  const { owner } = await h.createTenant();
  await h.command('POST', '/v1/members', owner, { email: 'csv1@example.org', firstName: '=cmd()', lastName: 'Smith, Jr' });
  const last = await h.command('POST', '/v1/members', owner, { email: 'csv2@example.org', firstName: 'Plain', lastName: 'Jones' });
  const reply = await h.query('/v1/members/export.csv?sort=email', owner, { 'x-consistency-position': String(last.body.position) });
  assert.is(reply.status, 200);
  assert.match(String(reply.headers['content-type']), 'text/csv');
  const lines = reply.text.trim().split('\r\n');
  assert.is(lines[0], 'memberId,email,firstName,lastName,status,membershipTypeId,membershipTypeName,createdAt,updatedAt,lastActivityAt,'
    + 'subscriptionStatus,subscriptionBilling,subscriptionMembershipTypeId,subscriptionMonthlyAmountCents,subscriptionCurrency,'
    + 'subscriptionPeriodEnd,subscriptionPendingChange');
  assert.is(lines.length, 3);
  assert.match(lines[1]!, `csv1@example.org,'=cmd(),"Smith, Jr",active`);
});

test('read-your-writes: a position beyond the log’s head or of another tenant is a 400 at once, not a wait (issue 10, item 7)', async ({ h }) => {
  const { owner } = await h.createTenant();
  const other = await h.createTenant('Other');
  const theirs = await h.command('POST', '/v1/members', other.owner, { email: 'theirs@example.org', firstName: 'T', lastName: 'O' });
  for (const position of [Number.MAX_SAFE_INTEGER, theirs.body.position]) {
    const reply = await h.query('/v1/members', owner, { 'x-consistency-position': String(position) });
    assert.equal([reply.status, reply.body.code, reply.body.errors[0].path], [400, 'invalid-consistency-position', 'X-Consistency-Position']);
  }
  assert.is((await h.query('/v1/members', owner, { 'x-consistency-position': 'soon' })).status, 400);
});

test('audit events: owner and auditor only, the tenant’s events in log order, paged', async ({ h }) => {
  const a = await h.createTenant('A');
  const b = await h.createTenant('B');
  await addMembers(h, a.owner, 3, 'au');
  await addMembers(h, b.owner, 1, 'bu');
  const staff = await h.token(a.tenantId, ['staff']);
  assert.is((await h.query('/v1/audit/events', staff)).status, 403);
  const auditor = await h.token(a.tenantId, ['auditor']);
  const all: any[] = [];
  let url = '/v1/audit/events?limit=2';
  for (;;) {
    const reply = await h.query(url, auditor);
    assert.is(reply.status, 200, reply.text);
    all.push(...reply.body.items);
    if (!reply.body.nextCursor) break;
    url = `/v1/audit/events?limit=2&cursor=${reply.body.nextCursor}`;
  }
  assert.ok(all.every((e) => e.tenantId === a.tenantId));
  const positions = all.map((e) => e.position);
  assert.equal(positions, [...positions].sort((x, y) => x - y));
  assert.is(all.filter((e) => e.type === 'MemberRegistered').length, 3);
  const registered = await h.query('/v1/audit/events?type=MemberRegistered', a.owner);
  assert.is(registered.body.items.length, 3);
  assert.ok(registered.body.items.every((e: any) => e.actor.userId && e.correlationId && e.streamId.startsWith('member-')));
  const future = new Date(Date.now() + 3600_000).toISOString();
  assert.is((await h.query(`/v1/audit/events?from=${future}`, auditor)).body.items.length, 0);
  assert.is((await h.query(`/v1/audit/events?to=${future}&type=MemberRegistered`, auditor)).body.items.length, 3);
  const oneStream = registered.body.items[0].streamId;
  const byStream = await h.query(`/v1/audit/events?streamId=${encodeURIComponent(oneStream)}`, auditor);
  assert.ok(byStream.body.items.length >= 1 && byStream.body.items.every((e: any) => e.streamId === oneStream));
});

test.run();
