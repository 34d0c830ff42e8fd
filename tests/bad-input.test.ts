import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SignJWT } from 'jose';
import { startHarness, testJwtSecret, type Harness, type Reply } from './platform-harness';

type Context = { h: Harness; owner: string; tenantId: string; memberId: string; otherMemberId: string; staff: string };
const test = suite<Context>('bad input never appends an event and never answers 5xx');

test.before(async (context) => {
  const h = await startHarness();
  const { owner, tenantId } = await h.createTenant('A');
  const other = await h.createTenant('B');
  const member = await h.command('POST', '/v1/members', owner, { email: 'a@example.org', firstName: 'A', lastName: 'A' });
  const otherMember = await h.command('POST', '/v1/members', other.owner, { email: 'b@example.org', firstName: 'B', lastName: 'B' });
  Object.assign(context, {
    h, owner, tenantId, memberId: member.body.memberId, otherMemberId: otherMember.body.memberId,
    staff: await h.token(tenantId, ['staff']),
  });
});
test.after(async ({ h }) => h.close());

const eventCount = async (h: Harness) => Number((await h.database.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);

async function expectProblem(h: Harness, send: () => Promise<Reply>, status: number, code?: string) {
  const before = await eventCount(h);
  const reply = await send();
  assert.is(reply.status, status, reply.text);
  assert.match(String(reply.headers['content-type']), 'application/problem+json');
  assert.is(reply.body.status, status);
  assert.type(reply.body.title, 'string');
  assert.type(reply.body.detail, 'string');
  assert.type(reply.body.type, 'string');
  assert.match(reply.body.code, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  if (code) assert.is(reply.body.code, code);
  assert.is(await eventCount(h), before, 'nothing appended');
  return reply;
}

const routes = (c: Context) => [
  { url: '/v1/membership-types', body: { name: 'Gold', monthlyPriceCents: 100, currency: 'EUR', features: [] } },
  { url: '/v1/members', body: { email: 'new@example.org', firstName: 'N', lastName: 'N' } },
  { url: `/v1/members/${c.memberId}/suspend`, body: { reason: 'x' } },
  { url: '/v1/members/bulk', body: { action: 'suspend', memberIds: [c.memberId], reason: 'x' } },
  { url: '/v1/activities', body: { items: [{ memberId: c.memberId, type: 'login', occurredAt: new Date().toISOString() }] } },
  { url: `/v1/members/${c.memberId}/subscription/cancel`, body: { atPeriodEnd: true } },
];

test('malformed JSON, wrong types, unknown fields and non-JSON bodies are refused on every route', async (c) => {
  for (const route of routes(c)) {
    const post = (payload: unknown, headers: Record<string, string> = {}) => () =>
      c.h.platform.commandApi.inject({ method: 'POST', url: route.url, payload: payload as string,
        headers: { authorization: `Bearer ${c.owner}`, 'content-type': 'application/json', ...headers } })
        .then((r) => ({ status: r.statusCode, body: r.json(), headers: r.headers, text: r.body }));
    await expectProblem(c.h, post('{"name": '), 400, 'malformed-json');
    await expectProblem(c.h, post(JSON.stringify({ ...route.body, unexpected: true })), 400, 'validation-failed');
    await expectProblem(c.h, post(JSON.stringify([1, 2])), 400, 'validation-failed');
    await expectProblem(c.h, post('<xml/>', { 'content-type': 'application/xml' }), 415, 'unsupported-media-type');
    await expectProblem(c.h, post(JSON.stringify({ pad: 'x'.repeat(300 * 1024) })), 413, 'payload-too-large');
  }
});

test('wrong types name each field in errors[]', async ({ h, owner }) => {
  const reply = await expectProblem(h, () => h.command('POST', '/v1/membership-types', owner,
    { name: 7, monthlyPriceCents: 10.5, currency: 'euro', features: 'x' }), 400, 'validation-failed');
  assert.equal(reply.body.errors.map((e: { path: string }) => e.path).sort(), ['currency', 'features', 'monthlyPriceCents', 'name']);
  await expectProblem(h, () => h.command('POST', '/v1/members', owner, { email: 'not-an-email', firstName: '', lastName: 'x' }), 400);
});

test('missing, forged and expired tokens are 401; a role without the right is 403', async (c) => {
  const route = routes(c)[1]!;
  await expectProblem(c.h, () => c.h.platform.commandApi.inject({ method: 'POST', url: route.url, payload: route.body })
    .then((r) => ({ status: r.statusCode, body: r.json(), headers: r.headers, text: r.body })), 401, 'unauthorized');
  const forged = await new SignJWT({ tid: c.tenantId, roles: ['owner'] }).setProtectedHeader({ alg: 'HS256' })
    .setSubject('x').setExpirationTime('1h').sign(new TextEncoder().encode('another-secret-another-secret-0000'));
  await expectProblem(c.h, () => c.h.command('POST', route.url, forged, route.body), 401, 'unauthorized');
  const expired = await new SignJWT({ tid: c.tenantId, roles: ['owner'] }).setProtectedHeader({ alg: 'HS256' })
    .setSubject('x').setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode(testJwtSecret));
  await expectProblem(c.h, () => c.h.command('POST', route.url, expired, route.body), 401, 'unauthorized');
  await expectProblem(c.h, () => c.h.command('POST', route.url, 'not.a.jwt', route.body), 401, 'unauthorized');
  await expectProblem(c.h, () => c.h.command('POST', `/v1/members/${c.memberId}/suspend`, c.staff, { reason: 'x' }), 403, 'forbidden-role');
  const auditor = await c.h.token(c.tenantId, ['auditor']);
  await expectProblem(c.h, () => c.h.command('POST', '/v1/members', auditor, route.body), 403, 'forbidden-role');
  await expectProblem(c.h, () => c.h.command('POST', '/v1/tenants', c.owner, { name: 'x', subdomain: 'x', plan: 'free' }), 403);
});

test('bad ids are 400; another tenant’s ids are 404 exactly like unknown ones', async (c) => {
  await expectProblem(c.h, () => c.h.command('POST', '/v1/members/not-a-uuid/suspend', c.owner, { reason: 'x' }), 400, 'validation-failed');
  await expectProblem(c.h, () => c.h.command('POST', `/v1/members/${c.otherMemberId}/suspend`, c.owner, { reason: 'x' }), 404, 'member-not-found');
  await expectProblem(c.h, () => c.h.command('PATCH', `/v1/members/${c.otherMemberId}`, c.owner, { firstName: 'x' }), 404, 'member-not-found');
  await expectProblem(c.h, () => c.h.command('POST', '/v1/activities', c.owner,
    { items: [{ memberId: c.otherMemberId, type: 'login', occurredAt: new Date().toISOString() }] }), 404, 'member-not-found');
  await expectProblem(c.h, () => c.h.command('POST', '/v1/members', c.owner,
    { email: 'z@example.org', firstName: 'Z', lastName: 'Z', membershipTypeId: c.otherMemberId }), 404, 'membership-type-not-found');
  const bulk = await c.h.command('POST', '/v1/members/bulk', c.owner, { action: 'suspend', memberIds: [c.otherMemberId], reason: 'x' });
  assert.is(bulk.status, 200);
  assert.equal(bulk.body.results, [{ memberId: c.otherMemberId, ok: false, code: 'member-not-found' }]);
  const read = await c.h.query(`/v1/members/${c.otherMemberId}`, c.owner);
  assert.is(read.status, 404);
  assert.is(read.body.code, 'member-not-found');
});

test('query routes refuse bad parameters with 400 and unknown routes with 404', async (c) => {
  for (const url of ['/v1/members?limit=500', '/v1/members?status=gone', '/v1/members?sort=age', '/v1/members?cursor=zzz',
    '/v1/members/not-a-uuid', '/v1/audit/events?limit=0']) {
    const reply = await c.h.query(url, c.owner);
    assert.is(reply.status, 400, `${url}: ${reply.text}`);
    assert.match(String(reply.headers['content-type']), 'application/problem+json');
  }
  assert.is((await c.h.query('/v1/nothing', c.owner)).status, 404);
  assert.is((await c.h.query('/v1/members', 'garbage')).status, 401);
});

test.run();
