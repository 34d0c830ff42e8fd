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

/** What PostgreSQL refuses in text: NUL, and either half of a UTF-16 surrogate pair alone. */
const unstorable = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\udc00\ud800'];

/** Every command body with each of its text fields, by the path errors[] names it with. */
const textFields = (c: Context) => {
  const now = new Date().toISOString();
  const member = `/v1/members/${c.memberId}`;
  return [
    { method: 'POST', url: '/v1/tenants', platform: true, body: { name: 'T', subdomain: 'tfuzz', plan: 'free' }, fields: ['name', 'subdomain', 'plan'] },
    { method: 'POST', url: '/v1/membership-types', body: { name: 'G', description: 'd', monthlyPriceCents: 1, currency: 'EUR', features: ['f'] },
      fields: ['name', 'description', 'currency', 'features.0'] },
    { method: 'POST', url: '/v1/members', body: { email: 'fuzz@example.org', firstName: 'F', lastName: 'F' }, fields: ['email', 'firstName', 'lastName'] },
    { method: 'PATCH', url: member, body: { email: 'fuzz2@example.org', firstName: 'F', lastName: 'F' }, fields: ['email', 'firstName', 'lastName'] },
    { method: 'POST', url: `${member}/suspend`, body: { reason: 'r' }, fields: ['reason'] },
    { method: 'POST', url: `${member}/deactivate`, body: { reason: 'r' }, fields: ['reason'] },
    { method: 'POST', url: '/v1/members/bulk', body: { action: 'suspend', memberIds: [c.memberId], reason: 'r' }, fields: ['action', 'memberIds.0', 'reason'] },
    { method: 'POST', url: '/v1/activities', body: { items: [{ memberId: c.memberId, type: 'login', occurredAt: now }] },
      fields: ['items.0.memberId', 'items.0.type', 'items.0.occurredAt'] },
    { method: 'POST', url: `${member}/subscription`, body: { membershipTypeId: c.memberId, interval: 'month' }, fields: ['membershipTypeId', 'interval'] },
    { method: 'POST', url: '/v1/billing/checkout', body: { plan: 'pro', interval: 'month', successUrl: 'https://a.example/s', cancelUrl: 'https://a.example/c' },
      fields: ['plan', 'successUrl', 'cancelUrl'] },
    { method: 'POST', url: '/v1/billing/portal', body: { returnUrl: 'https://a.example/r' }, fields: ['returnUrl'] },
  ];
};

function withValue(body: Record<string, unknown>, path: string, value: string): Record<string, unknown> {
  const copy = structuredClone(body) as Record<string, any>;
  const keys = path.split('.');
  let at = copy;
  for (const key of keys.slice(0, -1)) at = at[key];
  at[keys.at(-1)!] = value;
  return copy;
}

test('NUL or a lone surrogate in any text field of any command is a 400 naming the field; nothing is appended', async (c) => {
  const platform = await c.h.token(c.tenantId, ['platform'], 'operator');
  for (const route of textFields(c)) {
    const bearer = route.platform ? platform : c.owner;
    for (const field of route.fields) {
      for (const bad of unstorable) {
        const reply = await expectProblem(c.h, () => c.h.command(route.method, route.url, bearer, withValue(route.body, field, bad)),
          400, 'validation-failed');
        assert.ok(reply.body.errors.some((e: { path: string }) => e.path === field), `${route.url} ${field}: ${reply.text}`);
      }
    }
    const badKey = await expectProblem(c.h, () => c.h.command(route.method, route.url, bearer, { ...route.body, 'a\u0000': 1 }), 400, 'validation-failed');
    assert.is(badKey.body.errors[0].path, 'a\ufffd');
  }
});

test('a registration refused for a NUL claims nothing: no ValueClaimed, the email registers at once', async ({ h, owner }) => {
  const claims = async () => Number((await h.database.pool.query(`SELECT count(*) AS n FROM events WHERE type = 'ValueClaimed'`)).rows[0].n);
  const before = await claims();
  for (const body of [{ email: 'claimed@example.org', firstName: 'A\u0000', lastName: 'B' }, { email: 'claimed@example.org', firstName: 'A', lastName: '\ud800' }]) {
    await expectProblem(h, () => h.command('POST', '/v1/members', owner, body), 400, 'validation-failed');
  }
  assert.is(await claims(), before, 'no stray ValueClaimed');
  const registered = await h.command('POST', '/v1/members', owner, { email: 'claimed@example.org', firstName: 'A', lastName: 'B' });
  assert.is(registered.status, 201, registered.text);
});

const problemOf = (reply: Reply, status: number, code: string, what: string) => {
  assert.is(reply.status, status, `${what}: ${reply.text}`);
  assert.match(String(reply.headers['content-type']), 'application/problem+json', what);
  assert.is(reply.body.code, code, what);
};

test('NUL in any query parameter or path parameter is a 400, also for the CSV export (no header first)', async ({ h, owner }) => {
  for (const url of ['/v1/members?q=%00', '/v1/members?q=a%00b', '/v1/members/export.csv?q=%00', '/v1/members/export.csv?q=x&sort=%00',
    '/v1/audit/events?streamId=%00', '/v1/audit/events?streamId=member-%00', '/v1/audit/events?type=%00', '/v1/members?cursor=%00',
    '/v1/members/%00', '/v1/membership-types?x=%00', '/v1/tenant/usage?from=%00', '/v1/analytics/overview?from=%00']) {
    const reply = await h.query(url, owner);
    problemOf(reply, 400, 'validation-failed', url);
    assert.ok(!reply.text.startsWith('memberId,'), `${url} sent no CSV`);
  }
  const csv = await h.query('/v1/members/export.csv?q=example', owner);
  assert.is(csv.status, 200);
  assert.match(csv.text, /^memberId,email,/);
});

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

test('crafted cursors whose values PostgreSQL cannot compare are 400 invalid-cursor', async ({ h, owner, memberId }) => {
  const now = new Date().toISOString();
  const crafted: Array<[string, unknown]> = [
    ['-createdAt', { sort: '-createdAt', after: ['x', 'y'] }],
    ['-createdAt', { sort: '-createdAt', after: ['2026-02-30T00:00:00.000Z', memberId] }],
    ['createdAt', { sort: 'createdAt', after: ['0000-01-01T00:00:00.000Z', memberId] }],
    ['-createdAt', { sort: '-createdAt', after: [now, 'not-a-uuid'] }],
    ['-createdAt', { sort: '-createdAt', after: [now] }],
    ['-createdAt', { sort: '-createdAt', after: [now, memberId, 'z'] }],
    ['-createdAt', { sort: '-createdAt', after: [1, 2] }],
    ['-createdAt', { sort: '-createdAt', after: [now, memberId], more: 1 }],
    ['name', { sort: 'name', after: ['a\u0000', 'b', memberId] }],
    ['-email', { sort: '-email', after: ['\ud800', memberId] }],
    ['email', { sort: 'email', after: ['a', 'not-a-uuid'] }],
    ['-createdAt', { sort: 'name', after: ['a', 'b', memberId] }],
    ['-createdAt', null], ['-createdAt', []], ['-createdAt', 'x'], ['-createdAt', { sort: '-createdAt' }],
  ];
  for (const [sort, value] of crafted) {
    problemOf(await h.query(`/v1/members?sort=${sort}&cursor=${cursorOf(value)}`, owner), 400, 'invalid-cursor', JSON.stringify(value));
  }
  problemOf(await h.query(`/v1/members?cursor=${'!'.repeat(20)}`, owner), 400, 'invalid-cursor', 'not base64url JSON');
});

test('a cursor instant with an offset PostgreSQL refuses (past ±15:59) pages from the same instant in UTC', async ({ h, owner }) => {
  const created = await h.command('POST', '/v1/members', owner, { email: 'offset@example.org', firstName: 'O', lastName: 'O' });
  assert.is(created.status, 201, created.text);
  // A page of one with a page after it: the tenant's first member and this one, once applied.
  const first = await h.query('/v1/members?sort=-createdAt&limit=1', owner, { 'x-consistency-position': String(created.body.position) });
  assert.type(first.body.nextCursor, 'string', first.text);
  const [createdAt, memberId] = JSON.parse(Buffer.from(first.body.nextCursor, 'base64url').toString()).after as [string, string];
  const shifted = new Date(Date.parse(createdAt) + 16 * 3_600_000).toISOString().replace('Z', '+16:00');
  const utc = await h.query(`/v1/members?sort=-createdAt&cursor=${cursorOf({ sort: '-createdAt', after: [createdAt, memberId] })}`, owner);
  const offset = await h.query(`/v1/members?sort=-createdAt&cursor=${cursorOf({ sort: '-createdAt', after: [shifted, memberId] })}`, owner);
  assert.is(offset.status, 200, offset.text);
  assert.equal(offset.body.items, utc.body.items);
});

test('cursors the API hands out still page, for every sort order', async ({ h, owner }) => {
  assert.is((await h.command('POST', '/v1/members', owner, { email: 'pager@example.org', firstName: 'P', lastName: 'P' })).status, 201);
  for (const sort of ['createdAt', '-createdAt', 'name', '-name', 'email', '-email']) {
    const first = await h.query(`/v1/members?sort=${sort}&limit=1`, owner);
    assert.is(first.status, 200, first.text);
    assert.type(first.body.nextCursor, 'string', sort);
    const second = await h.query(`/v1/members?sort=${sort}&limit=1&cursor=${first.body.nextCursor}`, owner);
    assert.is(second.status, 200, `${sort}: ${second.text}`);
    assert.is(second.body.items.length, 1);
    assert.is.not(second.body.items[0].memberId, first.body.items[0].memberId, sort);
  }
});

test.run();
