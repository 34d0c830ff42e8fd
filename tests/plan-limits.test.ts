import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { v7 as uuidv7 } from 'uuid';
import { envelope } from '../command-api/handle-command';
import { startHarness, type Harness } from './platform-harness';

const test = suite<{ h: Harness }>('plan limits, exact under concurrency');
test.before(async (context) => {
  context.h = await startHarness();
});
test.after(async ({ h }) => h.close());

const person = (n: number) => ({ email: `m${n}@example.org`, firstName: 'M', lastName: String(n) });

async function registerMany(h: Harness, owner: string, from: number, count: number) {
  const ids: string[] = [];
  for (let start = from; start < from + count; start += 20) {
    const replies = await Promise.all(Array.from({ length: Math.min(20, from + count - start) }, (_, i) =>
      h.command('POST', '/v1/members', owner, person(start + i))));
    for (const reply of replies) {
      assert.is(reply.status, 201, reply.text);
      ids.push(reply.body.memberId);
    }
  }
  return ids;
}

async function registeredMembers(h: Harness, tenantId: string) {
  const { rows } = await h.platform.writePool.query(
    `SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND type = 'MemberRegistered'`, [tenantId]);
  return rows[0].n as number;
}

test('membership types: the free plan allows 3, the 4th is refused naming resource, limit and usage', async ({ h }) => {
  const { owner } = await h.createTenant('Small Club', 'free');
  const type = (name: string) => h.command('POST', '/v1/membership-types', owner, { name, monthlyPriceCents: 100, currency: 'EUR', features: [] });
  for (const name of ['A', 'B', 'C']) assert.is((await type(name)).status, 201);
  const refused = await type('D');
  assert.is(refused.status, 409, refused.text);
  assert.is(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.is(refused.body.code, 'plan-limit-reached');
  assert.equal([refused.body.resource, refused.body.limit, refused.body.usage], ['membershipTypes', 3, 3]);
});

test('50 concurrent registrations racing for the last 10 seats: exactly 10 win, never one member over the limit', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Full Club', 'free');
  await registerMany(h, owner, 0, 240);
  const race = await Promise.all(Array.from({ length: 50 }, (_, i) => h.command('POST', '/v1/members', owner, person(1000 + i))));
  const won = race.filter((r) => r.status === 201);
  const refused = race.filter((r) => r.status === 409);
  assert.is(won.length, 10, race.filter((r) => r.status !== 201 && r.status !== 409).map((r) => r.text).join('\n'));
  assert.is(refused.length, 40);
  for (const reply of refused) assert.equal([reply.body.code, reply.body.resource, reply.body.limit, reply.body.usage], ['plan-limit-reached', 'members', 250, 250]);
  assert.is(await registeredMembers(h, tenantId), 250);
});

test('a deactivated member frees a seat; reactivating takes one (single and bulk); a refused registration takes none', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Busy Club', 'free');
  const ids = await registerMany(h, owner, 0, 249);
  const duplicate = await h.command('POST', '/v1/members', owner, person(0));
  assert.is(duplicate.body.code, 'email-already-used');
  ids.push(...await registerMany(h, owner, 249, 1));
  assert.is((await h.command('POST', '/v1/members', owner, person(251))).body.code, 'plan-limit-reached',
    'the refused registration gave its seat back, and the last one took it');
  assert.is((await h.command('POST', `/v1/members/${ids[0]}/deactivate`, owner, { reason: 'left' })).status, 200);
  assert.is((await h.command('POST', `/v1/members/${ids[1]}/deactivate`, owner, { reason: 'left' })).status, 200);
  assert.is((await h.command('POST', '/v1/members', owner, person(500))).status, 201, 'the freed seat is taken');
  const reactivated = await h.command('POST', `/v1/members/${ids[0]}/reactivate`, owner);
  assert.is(reactivated.status, 200, reactivated.text);
  const full = await h.command('POST', `/v1/members/${ids[1]}/reactivate`, owner);
  assert.is(full.status, 409);
  assert.is(full.body.code, 'plan-limit-reached');
  const bulk = await h.command('POST', '/v1/members/bulk', owner, { action: 'reactivate', memberIds: [ids[1]] });
  assert.equal(bulk.body.results.map((r: { code?: string }) => r.code), ['plan-limit-reached']);
  assert.is((await h.command('POST', `/v1/members/${ids[2]}/suspend`, owner, { reason: 'x' })).status, 200);
  assert.is((await h.command('POST', `/v1/members/${ids[2]}/reactivate`, owner)).status, 200, 'a suspended member keeps its seat');
  const ledger = await h.platform.eventStore.readStream(tenantStreamId('planusage', tenantId));
  const seats = ledger.reduce((n, e) => n + (e.type === 'MemberSeatTaken' ? 1 : e.type === 'MemberSeatReleased' ? -1 : 0), 0);
  assert.is(seats, 250);
});

test('a tenant whose members and types predate the ledger: the ledger opens with what it held', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Old Club', 'free');
  // Written as the platform did before plan limits existed: straight to the member streams.
  let position = 0;
  for (let n = 0; n < 248; n++) {
    const memberId = uuidv7();
    const registered = envelope({ type: 'MemberRegistered', data: {
      memberId, email: `old${n}@example.org`, firstName: 'O', lastName: String(n), membershipTypeId: null, status: 'active' } }, oldContext(tenantId));
    position = (await h.platform.eventStore.append(tenantStreamId('member', tenantId, memberId), [registered], 'no-stream')).position;
  }
  for (let n = 0; n < 3; n++) {
    const membershipTypeId = uuidv7();
    const created = envelope({ type: 'MembershipTypeCreated', data: {
      membershipTypeId, name: `T${n}`, description: null, monthlyPriceCents: 100, currency: 'EUR', features: [] } }, oldContext(tenantId));
    position = (await h.platform.eventStore.append(tenantStreamId('membershiptype', tenantId, membershipTypeId), [created], 'no-stream')).position;
  }
  await h.query('/v1/tenant', owner, { 'x-consistency-position': String(position) });
  const race = await Promise.all(Array.from({ length: 5 }, (_, i) => h.command('POST', '/v1/members', owner, person(2000 + i))));
  assert.equal(race.map((r) => r.status).sort(), [201, 201, 409, 409, 409]);
  const type = await h.command('POST', '/v1/membership-types', owner, { name: 'X', monthlyPriceCents: 1, currency: 'EUR', features: [] });
  assert.equal([type.status, type.body.usage], [409, 3]);
});

function oldContext(tenantId: string) {
  return { tenantId, actor: { system: 'migration' }, correlationId: 'old', causationId: 'old', now: new Date().toISOString(), newId: () => uuidv7() };
}

test.run();
