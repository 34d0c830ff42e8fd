import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from './platform-harness';

const test = suite<{ h: Harness }>('member lifecycle through both APIs');
test.before(async (context) => {
  context.h = await startHarness();
});
test.after(async ({ h }) => h.close());

test('create a type and a member, read it back with read-your-writes', async ({ h }) => {
  const { owner } = await h.createTenant();
  const type = await h.command('POST', '/v1/membership-types', owner,
    { name: 'Gold', monthlyPriceCents: 1500, currency: 'EUR', features: ['events'] });
  assert.is(type.status, 201, type.text);
  const created = await h.command('POST', '/v1/members', owner,
    { email: 'Ada@Example.org', firstName: 'Ada', lastName: 'Lovelace', membershipTypeId: type.body.membershipTypeId });
  assert.is(created.status, 201, created.text);
  assert.is(created.headers.etag, '"0"');
  assert.type(created.body.position, 'number');
  const member = await h.query(`/v1/members/${created.body.memberId}`, owner, { 'x-consistency-position': String(created.body.position) });
  assert.is(member.status, 200, member.text);
  assert.is(member.body.status, 'active');
  assert.is(member.body.membershipTypeName, 'Gold');
  assert.is(member.body.email, 'Ada@Example.org');
  assert.is(member.body.revision, 0);
});

test('the status machine over HTTP: suspend, reactivate, deactivate; refusals are 409 with the rule', async ({ h }) => {
  const { owner } = await h.createTenant();
  const { body: { memberId } } = await h.command('POST', '/v1/members', owner, { email: 'b@example.org', firstName: 'B', lastName: 'C' });
  const suspended = await h.command('POST', `/v1/members/${memberId}/suspend`, owner, { reason: 'unpaid' });
  assert.is(suspended.status, 200, suspended.text);
  assert.is(suspended.body.revision, 1);
  const again = await h.command('POST', `/v1/members/${memberId}/suspend`, owner, { reason: 'unpaid' });
  assert.is(again.status, 409);
  assert.is(again.body.code, 'member-not-active');
  assert.is(again.headers['content-type'], 'application/problem+json; charset=utf-8');
  const reactivated = await h.command('POST', `/v1/members/${memberId}/reactivate`, owner);
  assert.is(reactivated.status, 200, reactivated.text);
  const read = await h.query(`/v1/members/${memberId}`, owner, { 'x-consistency-position': String(reactivated.body.position) });
  assert.is(read.body.status, 'active');
});

test.run();
