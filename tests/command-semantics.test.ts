import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from './platform-harness';

const test = suite<{ h: Harness }>('idempotency, If-Match, uniqueness, subscriptions, activities');
test.before(async (context) => {
  context.h = await startHarness();
});
test.after(async ({ h }) => h.close());

const eventCount = async (h: Harness) => Number((await h.database.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);

test('Idempotency-Key: same body replays the first response and appends nothing; another body is 422', async ({ h }) => {
  const { owner } = await h.createTenant();
  const body = { email: 'idem@example.org', firstName: 'I', lastName: 'D' };
  const first = await h.command('POST', '/v1/members', owner, body, { 'idempotency-key': 'k-1' });
  assert.is(first.status, 201);
  const before = await eventCount(h);
  const replay = await h.command('POST', '/v1/members', owner, body, { 'idempotency-key': 'k-1' });
  assert.is(replay.status, 201);
  assert.equal(replay.body, first.body);
  assert.is(replay.headers.etag, first.headers.etag);
  assert.is(await eventCount(h), before);
  const different = await h.command('POST', '/v1/members', owner, { ...body, firstName: 'Other' }, { 'idempotency-key': 'k-1' });
  assert.is(different.status, 422);
  assert.is(different.body.code, 'idempotency-key-reused');
  assert.is(await eventCount(h), before);
});

test('Idempotency-Key: a body with the same fields in another order is the same request, replayed', async ({ h }) => {
  const { owner } = await h.createTenant();
  const first = await h.command('POST', '/v1/members', owner, { email: 'order@example.org', firstName: 'O', lastName: 'K' },
    { 'idempotency-key': 'order' });
  assert.is(first.status, 201);
  const reordered = await h.command('POST', '/v1/members', owner, { lastName: 'K', firstName: 'O', email: 'order@example.org' },
    { 'idempotency-key': 'order' });
  assert.is(reordered.status, 201);
  assert.is(reordered.headers['idempotent-replayed'], 'true');
  assert.equal(reordered.body, first.body);
});

test('Idempotency-Key: a refusal such as a 412 is the answer, replayed; with another If-Match it is another request', async ({ h }) => {
  const { owner } = await h.createTenant();
  const member = await h.command('POST', '/v1/members', owner, { email: 'holder@example.org', firstName: 'H', lastName: 'O' });
  const change = { email: 'wanted@example.org' };
  const path = `/v1/members/${member.body.memberId}`;
  const refused = await h.command('PATCH', path, owner, change, { 'idempotency-key': 'pre', 'if-match': '"999"' });
  assert.is(refused.status, 412);
  // Meanwhile someone else registers with the address the refused change asked for.
  const other = await h.command('POST', '/v1/members', owner, { email: 'wanted@example.org', firstName: 'W', lastName: 'A' });
  assert.is(other.status, 201);
  const replayed = await h.command('PATCH', path, owner, change, { 'idempotency-key': 'pre', 'if-match': '"999"' });
  assert.is(replayed.status, 412);
  assert.is(replayed.headers['idempotent-replayed'], 'true');
  const withoutPrecondition = await h.command('PATCH', path, owner, change, { 'idempotency-key': 'pre' });
  assert.is(withoutPrecondition.status, 422, 'not a resumption of the refused attempt');
  const { rows } = await h.database.pool.query(
    `SELECT count(*)::int AS n FROM events WHERE type = 'MemberDetailsChanged' AND data->>'email' = 'wanted@example.org'`);
  assert.is(rows[0].n, 0, 'no second member got the address');
});

test('Idempotency-Key: concurrent duplicates run the command once', async ({ h }) => {
  const { owner } = await h.createTenant();
  const body = { email: 'race@example.org', firstName: 'R', lastName: 'C' };
  const replies = await Promise.all(Array.from({ length: 8 }, () => h.command('POST', '/v1/members', owner, body, { 'idempotency-key': 'race' })));
  const created = replies.filter((r) => r.status === 201);
  assert.ok(created.length >= 1);
  assert.ok(replies.every((r) => r.status === 201 || r.body.code === 'idempotency-key-in-progress'), JSON.stringify(replies.map((r) => r.status)));
  assert.is(new Set(created.map((r) => r.body.memberId)).size, 1);
});

test('If-Match with a stale revision is 412 and changes nothing; the current one succeeds', async ({ h }) => {
  const { owner } = await h.createTenant();
  const { body: { memberId } } = await h.command('POST', '/v1/members', owner, { email: 'm@example.org', firstName: 'M', lastName: 'M' });
  await h.command('PATCH', `/v1/members/${memberId}`, owner, { firstName: 'N' }, { 'if-match': '"0"' });
  const stale = await h.command('PATCH', `/v1/members/${memberId}`, owner, { firstName: 'O' }, { 'if-match': '"0"' });
  assert.is(stale.status, 412);
  assert.is(stale.body.code, 'revision-mismatch');
  assert.is(stale.headers.etag, '"1"');
  const fresh = await h.command('PATCH', `/v1/members/${memberId}`, owner, { firstName: 'O' }, { 'if-match': '"1"' });
  assert.is(fresh.status, 200);
  assert.is(fresh.headers.etag, '"2"');
});

test('email is unique per tenant, case-insensitively, and is freed by a change of email', async ({ h }) => {
  const a = await h.createTenant();
  const b = await h.createTenant();
  const first = await h.command('POST', '/v1/members', a.owner, { email: 'Same@Example.org', firstName: 'A', lastName: 'A' });
  const dup = await h.command('POST', '/v1/members', a.owner, { email: 'same@example.ORG', firstName: 'B', lastName: 'B' });
  assert.is(dup.status, 409);
  assert.is(dup.body.code, 'email-already-used');
  assert.is((await h.command('POST', '/v1/members', b.owner, { email: 'same@example.org', firstName: 'C', lastName: 'C' })).status, 201);
  const moved = await h.command('PATCH', `/v1/members/${first.body.memberId}`, a.owner, { email: 'moved@example.org' });
  assert.is(moved.status, 200, moved.text);
  assert.is((await h.command('POST', '/v1/members', a.owner, { email: 'same@example.org', firstName: 'D', lastName: 'D' })).status, 201);
  const taken = await h.command('PATCH', `/v1/members/${first.body.memberId}`, a.owner, { email: 'SAME@example.org' });
  assert.is(taken.status, 409);
});

test('concurrent registrations with one email: exactly one member is created', async ({ h }) => {
  const { owner } = await h.createTenant();
  const replies = await Promise.all(Array.from({ length: 10 }, (_, n) =>
    h.command('POST', '/v1/members', owner, { email: 'Rush@example.org', firstName: 'R', lastName: `${n}` })));
  assert.is(replies.filter((r) => r.status === 201).length, 1, JSON.stringify(replies.map((r) => r.status)));
  assert.ok(replies.filter((r) => r.status !== 201).every((r) => r.status === 409), 'the others are conflicts');
  const registered = await h.database.pool.query(`SELECT count(*) AS n FROM events WHERE type = 'MemberRegistered' AND data->>'email' ILIKE 'rush@example.org'`);
  assert.is(Number(registered.rows[0].n), 1);
});

test('a subdomain is unique across the platform', async ({ h }) => {
  const operator = await h.token('00000000-0000-7000-8000-000000000000', ['platform']);
  assert.is((await h.command('POST', '/v1/tenants', operator, { name: 'X', subdomain: 'unique-one', plan: 'free' })).status, 201);
  const again = await h.command('POST', '/v1/tenants', operator, { name: 'Y', subdomain: 'Unique-One', plan: 'pro' });
  assert.is(again.status, 409);
  assert.is(again.body.code, 'subdomain-taken');
});

test('subscription start, plan change and cancellation show on the member', async ({ h }) => {
  const { owner } = await h.createTenant();
  const gold = await h.command('POST', '/v1/membership-types', owner, { name: 'Gold', monthlyPriceCents: 2000, currency: 'EUR', features: [] });
  const silver = await h.command('POST', '/v1/membership-types', owner, { name: 'Silver', monthlyPriceCents: 1000, currency: 'EUR', features: [] });
  const { body: { memberId } } = await h.command('POST', '/v1/members', owner, { email: 's@example.org', firstName: 'S', lastName: 'S' });
  const started = await h.command('POST', `/v1/members/${memberId}/subscription`, owner, { membershipTypeId: gold.body.membershipTypeId, interval: 'year' });
  assert.is(started.status, 200, started.text);
  const changed = await h.command('POST', `/v1/members/${memberId}/subscription`, owner, { membershipTypeId: silver.body.membershipTypeId, interval: 'month' });
  const cancelled = await h.command('POST', `/v1/members/${memberId}/subscription/cancel`, owner, { atPeriodEnd: true });
  assert.is(cancelled.status, 200);
  const member = await h.query(`/v1/members/${memberId}`, owner, { 'x-consistency-position': String(cancelled.body.position) });
  assert.is(member.body.subscription.membershipTypeId, silver.body.membershipTypeId);
  assert.is(member.body.subscription.amountCents, 1000);
  assert.is(member.body.subscription.cancelAtPeriodEnd, true);
  assert.is(member.body.revision, changed.body.revision + 1);
  const now = await h.command('POST', `/v1/members/${memberId}/subscription/cancel`, owner, { atPeriodEnd: false });
  const after = await h.query(`/v1/members/${memberId}`, owner, { 'x-consistency-position': String(now.body.position) });
  assert.equal([after.body.subscription.status, after.body.subscription.membershipTypeId], ['cancelled', silver.body.membershipTypeId],
    'the ended subscription stays visible (DESIGN §11)');
  const none = await h.command('POST', `/v1/members/${memberId}/subscription/cancel`, owner, { atPeriodEnd: false });
  assert.is(none.status, 409);
  assert.is(none.body.code, 'no-active-subscription');
});

test('activities are accepted with 202, set lastActivityAt, and out-of-window items refuse the batch', async ({ h }) => {
  const { owner } = await h.createTenant();
  const { body: { memberId } } = await h.command('POST', '/v1/members', owner, { email: 'act@example.org', firstName: 'A', lastName: 'A' });
  const at = new Date(Date.now() - 3600_000).toISOString();
  const earlier = new Date(Date.now() - 7200_000).toISOString();
  const accepted = await h.command('POST', '/v1/activities', owner, { items: [
    { memberId, type: 'login', occurredAt: at }, { memberId, type: 'event.attended', occurredAt: earlier }] });
  assert.is(accepted.status, 202);
  assert.is(accepted.body.accepted, 2);
  const member = await h.query(`/v1/members/${memberId}`, owner, { 'x-consistency-position': String(accepted.body.position) });
  assert.is(member.body.lastActivityAt, at);
  const old = await h.command('POST', '/v1/activities', owner, { items: [
    { memberId, type: 'login', occurredAt: new Date(Date.now() - 36 * 86400_000).toISOString() }] });
  assert.is(old.status, 400);
  assert.is(old.body.errors[0].path, 'items.0.occurredAt');
  const tooMany = await h.command('POST', '/v1/activities', owner, { items: Array.from({ length: 1001 }, () => ({ memberId, type: 'login', occurredAt: at })) });
  assert.is(tooMany.status, 400);
});

test('bulk: one member’s refusal does not fail the others', async ({ h }) => {
  const { owner } = await h.createTenant();
  const ids: string[] = [];
  for (const n of [1, 2, 3]) ids.push((await h.command('POST', '/v1/members', owner, { email: `b${n}@example.org`, firstName: 'B', lastName: `${n}` })).body.memberId);
  await h.command('POST', `/v1/members/${ids[1]}/suspend`, owner, { reason: 'x' });
  const reply = await h.command('POST', '/v1/members/bulk', owner, { action: 'suspend', memberIds: ids, reason: 'season over' });
  assert.is(reply.status, 200);
  assert.equal(reply.body.results.map((r: { ok: boolean; code?: string }) => [r.ok, r.code ?? null]),
    [[true, null], [false, 'member-not-active'], [true, null]]);
});

test.run();
