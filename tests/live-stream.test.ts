import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from './platform-harness';
import { openSse, type SseClient, type SseMessage } from './sse-client';

type Context = { harness: Harness; url: string; a: { tenantId: string; owner: string }; b: { tenantId: string; owner: string } };
const test = suite<Context>('live updates: GET /v1/stream (DESIGN §12)');

test.before(async (context) => {
  context.harness = await startHarness({ live: { heartbeatMs: 300 } });
  context.url = await context.harness.platform.queryApi.listen({ host: '127.0.0.1', port: 0 });
  context.a = await context.harness.createTenant('Alpha');
  context.b = await context.harness.createTenant('Beta');
});
test.after(async ({ harness }) => harness.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const dataOf = (message: SseMessage) => JSON.parse(message.data) as { memberId: string; status: string; revision: number; position: number };

/** Registers `count` members of a tenant, then suspends each: 2 × count member changes. */
async function changeMembers(harness: Harness, owner: string, count: number, prefix: string) {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 25) {
    const replies = await Promise.all(Array.from({ length: Math.min(25, count - start) }, (_, i) =>
      harness.command('POST', '/v1/members', owner, { email: `${prefix}${start + i}@example.org`, firstName: 'Ada', lastName: 'Live' })));
    for (const reply of replies) {
      assert.is(reply.status, 201, reply.text);
      ids.push(reply.body.memberId);
    }
  }
  for (let start = 0; start < count; start += 25) {
    const replies = await Promise.all(ids.slice(start, start + 25).map((id) =>
      harness.command('POST', `/v1/members/${id}/suspend`, owner, { reason: 'live test' })));
    for (const reply of replies) assert.is(reply.status, 200, reply.text);
  }
  return ids;
}

function assertExactly(messages: SseMessage[], ids: string[]) {
  const seen = messages.map(dataOf);
  assert.ok(messages.every((message) => message.event === 'member' && message.id === String(dataOf(message).position)));
  const expected = new Set(ids.flatMap((id) => [`${id}/0/active`, `${id}/1/suspended`]));
  assert.equal(new Set(seen.map((change) => `${change.memberId}/${change.revision}/${change.status}`)), expected);
  assert.is(seen.length, expected.size, 'each change once');
  // In log order: a member's registration before its suspension, positions increasing.
  assert.ok(seen.every((change, i) => i === 0 || change.position > seen[i - 1]!.position), 'in order');
}

test('two tenants, 1,000 changes: each subscriber sees exactly its own, in order; one that left resumes with Last-Event-ID and misses none', async ({ harness, url, a, b }) => {
  const streamA = await openSse(`${url}/v1/stream`, bearer(a.owner));
  const streamB = await openSse(`${url}/v1/stream`, bearer(b.owner));
  const leaving = await openSse(`${url}/v1/stream`, bearer(await harness.token(a.tenantId, ['staff'])));
  assert.is(streamA.status, 200);
  assert.match(streamA.headers.get('content-type')!, /^text\/event-stream/);
  const [idsA, idsB] = await Promise.all([changeMembers(harness, a.owner, 250, 'a'), changeMembers(harness, b.owner, 250, 'b')]);
  await Promise.all([streamA.waitFor(500), streamB.waitFor(500)]);
  assertExactly(streamA.messages, idsA);
  assertExactly(streamB.messages, idsB);

  // The leaving subscriber drops after some of them; the rest happen while it is away.
  await leaving.waitFor(100);
  leaving.close();
  const lastSeen = leaving.messages[99]!.id!;
  const more = await changeMembers(harness, a.owner, 20, 'a-more');
  await streamA.waitFor(540);
  const resumed = await openSse(`${url}/v1/stream`, { ...bearer(a.owner), 'last-event-id': lastSeen });
  await resumed.waitFor(540 - 100);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(resumed.messages.map((m) => m.id), streamA.messages.slice(100).map((m) => m.id), 'exactly what came after Last-Event-ID');
  assertExactly([...leaving.messages.slice(0, 100), ...resumed.messages], [...idsA, ...more]);
  for (const client of [streamA, streamB, resumed]) client.close();
});

test('a change is sent once the read model shows it: the member read at that moment has that status', async ({ harness, url, a }) => {
  const stream = await openSse(`${url}/v1/stream`, bearer(a.owner));
  const created = await harness.command('POST', '/v1/members', a.owner, { email: 'shown@example.org', firstName: 'Shown', lastName: 'First' });
  await stream.waitFor(1);
  const change = dataOf(stream.messages[0]!);
  assert.equal({ memberId: change.memberId, status: change.status, revision: change.revision, position: change.position },
    { memberId: created.body.memberId, status: 'active', revision: 0, position: created.body.position });
  const read = await harness.query(`/v1/members/${change.memberId}`, a.owner);
  assert.is(read.status, 200);
  stream.close();
});

test('heartbeats keep an idle stream open', async ({ url, a }) => {
  const stream = await openSse(`${url}/v1/stream`, bearer(a.owner));
  await new Promise((resolve) => setTimeout(resolve, 800));
  assert.ok(stream.comments.filter((comment) => comment === 'heartbeat').length >= 2, `comments: ${stream.comments}`);
  stream.close();
});

test('tickets: single use, bound to the tenant they were issued to; bad tokens and tickets are refused', async ({ harness, url, a, b }) => {
  const issued = await harness.platform.queryApi.inject({ method: 'POST', url: '/v1/stream/tickets', headers: bearer(b.owner) });
  assert.is(issued.statusCode, 201);
  const { ticket, expiresAt } = issued.json();
  assert.ok(Date.parse(expiresAt) - Date.now() <= 60_000 && Date.parse(expiresAt) > Date.now());
  // The ticket of tenant B follows B, whoever holds it.
  const byTicket = await openSse(`${url}/v1/stream?ticket=${encodeURIComponent(ticket)}`);
  assert.is(byTicket.status, 200);
  const reused = await openSse(`${url}/v1/stream?ticket=${encodeURIComponent(ticket)}`);
  assert.is(reused.status, 401);
  assert.is(reused.body.code, 'invalid-stream-ticket');
  await harness.command('POST', '/v1/members', a.owner, { email: 'not-b@example.org', firstName: 'Not', lastName: 'B' });
  const ofB = await harness.command('POST', '/v1/members', b.owner, { email: 'is-b@example.org', firstName: 'Is', lastName: 'B' });
  await byTicket.waitFor(1);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(byTicket.messages.map((m) => dataOf(m).memberId), [ofB.body.memberId]);
  byTicket.close();

  const refusals: [string, Record<string, string>, number, string][] = [
    ['/v1/stream', {}, 401, 'unauthorized'],
    ['/v1/stream', { authorization: 'Bearer not-a-token' }, 401, 'unauthorized'],
    [`/v1/stream?ticket=${'x'.repeat(43)}`, {}, 401, 'invalid-stream-ticket'],
    ['/v1/stream', bearer(await harness.token(a.tenantId, ['platform'])), 403, 'forbidden-role'],
    ['/v1/stream', { ...bearer(a.owner), 'last-event-id': 'yesterday' }, 400, 'validation-failed'],
    ['/v1/stream?since=1', bearer(a.owner), 400, 'validation-failed'],
  ];
  for (const [path, headers, status, code] of refusals) {
    const refused = await openSse(`${url}${path}`, headers);
    assert.is(refused.status, status, path);
    assert.is(refused.body.code, code, path);
    assert.match(refused.headers.get('content-type')!, /^application\/problem\+json/);
  }
  const noTicketForPlatform = await harness.platform.queryApi.inject({ method: 'POST', url: '/v1/stream/tickets' });
  assert.is(noTicketForPlatform.statusCode, 401);
});

test('the scheduler purges changes past their 24 hours, and only those; the stream goes on', async ({ harness, url, a }) => {
  const count = async () => Number((await harness.database.pool.query('SELECT count(*) FROM rm_member_changes')).rows[0].count);
  const kept = await count();
  assert.ok(kept > 0);
  await harness.platform.scheduler.purgeExpired(new Date(Date.now() + 23 * 3600_000));
  assert.is(await count(), kept, 'younger than 24 h: kept');
  await harness.platform.scheduler.purgeExpired(new Date(Date.now() + 25 * 3600_000));
  assert.is(await count(), 0);
  const stream = await openSse(`${url}/v1/stream`, bearer(a.owner));
  const created = await harness.command('POST', '/v1/members', a.owner, { email: 'after-purge@example.org', firstName: 'After', lastName: 'Purge' });
  await stream.waitFor(1);
  assert.is(dataOf(stream.messages[0]!).memberId, created.body.memberId);
  stream.close();
});

test.run();
