import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from './platform-harness';

type Context = { h: Harness; owner: string; platform: string; memberId: string; typeId: string };
const test = suite<Context>('fuzz: mutated bodies, queries and headers never answer 5xx and never append on a refusal');

test.before(async (context) => {
  const h = await startHarness();
  const { owner, tenantId } = await h.createTenant('Fuzz');
  const member = await h.command('POST', '/v1/members', owner, { email: 'f@example.org', firstName: 'F', lastName: 'F' });
  const type = await h.command('POST', '/v1/membership-types', owner, { name: 'G', monthlyPriceCents: 1, currency: 'EUR', features: [] });
  Object.assign(context, { h, owner, platform: await h.token(tenantId, ['platform'], 'operator'),
    memberId: member.body.memberId, typeId: type.body.membershipTypeId });
});
test.after(async ({ h }) => h.close());

/** A seeded generator: a failure names its seed and replays exactly. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

const nasty: unknown[] = ['\u0000', 'a\u0000', '\ud800', '\udfff', 'x\ud83dy', '', ' ', 'x'.repeat(5000), '%', '\\', "'; DROP TABLE events; --",
  '💥', '\u202e', '2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-30', 'not-a-uuid',
  '00000000-0000-0000-0000-000000000000', -1, 0, 1.5, 1e308, 2 ** 53 + 1, null, true, [], {}, ['\u0000'], { a: '\u0000' }];

const commands = (c: Context) => {
  const member = `/v1/members/${c.memberId}`;
  return [
    { method: 'POST', url: '/v1/tenants', platform: true, body: { name: 'T', subdomain: 'tz', plan: 'free' } },
    { method: 'POST', url: '/v1/membership-types', body: { name: 'G', description: 'd', monthlyPriceCents: 1, currency: 'EUR', features: ['f'] } },
    { method: 'POST', url: '/v1/members', body: { email: 'n@example.org', firstName: 'N', lastName: 'N', membershipTypeId: c.typeId, invite: true } },
    { method: 'PATCH', url: member, body: { email: 'm@example.org', firstName: 'M', lastName: 'M', membershipTypeId: c.typeId } },
    { method: 'POST', url: `${member}/suspend`, body: { reason: 'r' } },
    { method: 'POST', url: `${member}/deactivate`, body: { reason: 'r' } },
    { method: 'POST', url: '/v1/members/bulk', body: { action: 'suspend', memberIds: [c.memberId], reason: 'r' } },
    { method: 'POST', url: '/v1/activities', body: { items: [{ memberId: c.memberId, type: 'login', occurredAt: '2026-01-01T00:00:00Z' }] } },
    { method: 'POST', url: `${member}/subscription`, body: { membershipTypeId: c.typeId, interval: 'month' } },
    { method: 'POST', url: `${member}/subscription/cancel`, body: { atPeriodEnd: true } },
  ];
};

const queries = ['/v1/members', '/v1/members/export.csv', '/v1/audit/events', '/v1/tenant/usage', '/v1/analytics/engagement',
  '/v1/analytics/retention', '/v1/analytics/revenue', '/v1/membership-types', '/v1/tenant'];
const queryParameters = ['q', 'status', 'sort', 'cursor', 'limit', 'membershipTypeId', 'streamId', 'type', 'from', 'to', 'interval', 'mode', 'currency'];
const headers = ['x-consistency-position', 'if-match', 'idempotency-key'];
const headerValues = ['abc', '-1', '99999999999999999999', '1e400', '"x"', '"99999999999"', '"-1"', 'é', 'x'.repeat(300)];

const mutate = (body: Record<string, unknown>, pick: ReturnType<typeof generator>['pick']) => {
  const key = pick([...Object.keys(body), 'extra']);
  return pick(['replace', 'replace', 'drop']) === 'drop' ? Object.fromEntries(Object.entries(body).filter(([k]) => k !== key))
    : { ...body, [key]: pick(nasty) };
};

/** A lone surrogate has no UTF-8: it travels as the bytes a careless client would send (CESU-8). */
const encoded = (value: string) => [...value].map((ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');

const eventCount = async (h: Harness) => Number((await h.database.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);

test('600 mutated commands and 600 mutated queries: 4xx are problem+json, none is 5xx', async (c) => {
  const { pick } = generator(20261202);
  const failures: string[] = [];
  for (let n = 0; n < 600; n++) {
    const route = pick(commands(c));
    const body = mutate(mutate(route.body, pick), pick);
    const extra = pick([{}, {}, { [pick(headers)]: pick(headerValues) }]);
    const before = await eventCount(c.h);
    const reply = await c.h.command(route.method, route.url, route.platform ? c.platform : c.owner, body, extra as Record<string, string>);
    const what = `${route.method} ${route.url} ${JSON.stringify(body)} ${JSON.stringify(extra)} → ${reply.status} ${reply.text.slice(0, 200)}`;
    if (reply.status >= 500) failures.push(what);
    if (reply.status >= 400 && !String(reply.headers['content-type']).includes('application/problem+json')) failures.push(`not problem+json: ${what}`);
    if (reply.status >= 400 && reply.status !== 409 && (await eventCount(c.h)) !== before) failures.push(`appended on a refusal: ${what}`);
  }
  for (let n = 0; n < 600; n++) {
    const parameters = [pick(queryParameters), pick(queryParameters)].map((p) => `${p}=${encoded(String(pick(nasty)))}`);
    const url = `${pick(queries)}?${parameters.join('&')}`;
    const reply = await c.h.query(url, c.owner, pick<Record<string, string>>([{}, { 'x-consistency-position': pick(headerValues) }]));
    if (reply.status >= 500 && reply.body?.code !== 'analytics-unavailable') failures.push(`${url} → ${reply.status} ${reply.text.slice(0, 200)}`);
    if (reply.status >= 400 && !String(reply.headers['content-type']).includes('application/problem+json')) failures.push(`not problem+json: ${url}`);
  }
  assert.equal(failures, []);
});

test.run();
