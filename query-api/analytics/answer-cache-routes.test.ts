import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { tenantStreamId } from '../../infra/event-store/stream-name';
import { clickHouseAnalytics } from '../../projectors/analytics/analytics-projection';
import { insertAnalyticsRows } from '../../projectors/runtime/analytics-batch';
import { startHarness, type Harness } from '../../tests/platform-harness';
import { fixtureLog } from './fixture-log';

// The platform's clock, moved by the tests: "today" and "this month" of the overview come from it.
let now = '2026-03-20T12:00:00.000Z';
type Context = { h: Harness; owner: string; tenantId: string; members: string[] };
const test = suite<Context>('analytics answers cached by the query API (embedded: chDB, PostgreSQL)');

test.before(async (context) => {
  const h = await startHarness({ now: () => now });
  const { owner, tenantId } = await h.createTenant('Cached Club');
  const members: string[] = [];
  for (const name of ['Ada', 'Bob']) {
    const reply = await h.command('POST', '/v1/members', owner, { email: `${name}@example.org`, firstName: name, lastName: 'Member' });
    members.push(reply.body.memberId);
  }
  Object.assign(context, { h, owner, tenantId, members });
});
test.after(async ({ h }) => h.close());

async function activity({ h, owner }: Context, memberId: string, occurredAt: string) {
  const reply = await h.command('POST', '/v1/activities', owner, { items: [{ memberId, type: 'login', occurredAt }] });
  assert.is(reply.status, 202, reply.text);
  return String(reply.body.position);
}

const activeThisMonth = async ({ h, owner }: Context, position?: string) => {
  const reply = await h.query('/v1/analytics/overview', owner, position ? { 'x-consistency-position': position } : {});
  assert.is(reply.status, 200, reply.text);
  return reply.body.activeThisMonth as number;
};

/**
 * A fact written into ClickHouse behind the projection's back: the tenant's analytics version
 * does not move, so an answer that still leaves it out was served from the cache, not queried.
 */
async function factBehindTheProjection({ h, tenantId }: Context, day: string) {
  const { events, append } = fixtureLog(tenantId);
  append(tenantStreamId('activity', tenantId, uuidv7()), 'ActivityRecorded', day, { memberId: uuidv7(), activityType: 'login', occurredAt: `${day}T09:00:00.000Z` });
  await insertAnalyticsRows(h.platform.analytics!, events, clickHouseAnalytics);
}

test('the overview is served from the cache until the tenant\'s next applied event, and afresh after midnight UTC', async (context) => {
  const position = await activity(context, context.members[0]!, '2026-03-20T08:00:00.000Z');
  assert.is(await activeThisMonth(context, position), 1);
  await factBehindTheProjection(context, '2026-03-20');
  assert.is(await activeThisMonth(context), 1, 'the cached answer');
  // The next day (the route's default "today"): another question, queried, which sees that fact.
  now = '2026-03-21T00:00:01.000Z';
  assert.is(await activeThisMonth(context), 2);
  await factBehindTheProjection(context, '2026-03-21');
  assert.is(await activeThisMonth(context), 2, 'the cached answer');
  // An event of the tenant through the API: once it is applied (read-your-writes), a new answer.
  const next = await activity(context, context.members[1]!, '2026-03-21T00:00:00.000Z');
  assert.is(await activeThisMonth(context, next), 4);
  // What an operator sees of it on /metrics.
  const metrics = (await context.h.platform.queryApi.inject({ method: 'GET', url: '/metrics' })).body;
  const counted = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1]);
  assert.ok(counted('analytics_answer_cache_hits_total') >= 2, metrics);
  assert.ok(counted('analytics_answer_cache_misses_total') >= 3, metrics);
  assert.ok(counted('analytics_answer_cache_entries') >= 1, metrics);
});

test('another tenant\'s events leave this tenant\'s answers cached', async (context) => {
  const other = await context.h.createTenant('Other Club');
  const member = await context.h.command('POST', '/v1/members', other.owner, { email: 'eve@example.org', firstName: 'Eve', lastName: 'Member' });
  const reply = await context.h.command('POST', '/v1/activities', other.owner, { items: [{ memberId: member.body.memberId, type: 'login', occurredAt: now }] });
  assert.is(reply.status, 202, reply.text);
  await factBehindTheProjection(context, '2026-03-21');
  const theirs = await context.h.query('/v1/analytics/overview', other.owner, { 'x-consistency-position': String(reply.body.position) });
  assert.is(theirs.body.activeThisMonth, 1);
  assert.is(await activeThisMonth(context), 4, 'still the cached answer');
});

test.run();
