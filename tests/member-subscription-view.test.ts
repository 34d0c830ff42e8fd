import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import type { DomainEvent } from '../domain/shared/event';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { postgresReadModels } from '../projectors/read-models';
import { applyCheckpointedBatch } from '../projectors/runtime/checkpointed-batch';
import { appendToMember, registered, stripeTerms } from './member-subscription-fixture';
import { startHarness, type Harness } from './platform-harness';

const now = '2026-03-03T12:00:00.000Z';
const test = suite<{ h: Harness }>('member view: a subscription’s billing, status, pending change and grace (DESIGN §11)');
test.before(async (context) => {
  context.h = await startHarness({ now: () => now });
});
test.after(async ({ h }) => h.close());

const subscriptionOf = async (h: Harness, owner: string, memberId: string, position: number) => {
  const reply = await h.query(`/v1/members/${memberId}`, owner, { 'x-consistency-position': String(position) });
  assert.is(reply.status, 200, reply.text);
  return reply.body.subscription;
};

const march = '2026-03-01T00:00:00.000Z';
const april = '2026-04-01T00:00:00.000Z';
const may = '2026-05-01T00:00:00.000Z';
const june = '2026-06-01T00:00:00.000Z';

test('started → past due → renewed → downgrade scheduled → cancelled: the view at each step; a new start replaces it', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant();
  const [memberId, gold, silver] = [uuidv7(), uuidv7(), uuidv7()];
  const at = (events: DomainEvent[]) => appendToMember(h, tenantId, memberId, events).then((p) => subscriptionOf(h, owner, memberId, p));
  assert.is(await at([registered(memberId, 1)]), null, 'never subscribed');

  const started = { ...stripeTerms(gold, 2000, march, april), status: 'active', cancelAtPeriodEnd: false, pendingChange: null, graceEndsAt: null };
  assert.equal(await at([{ type: 'SubscriptionStarted', data: stripeTerms(gold, 2000, march, april) }]), started);
  const graceEndsAt = '2026-04-15T00:00:00.000Z';
  assert.equal(await at([{ type: 'SubscriptionPastDue', data: { graceEndsAt } }]), { ...started, status: 'past_due', graceEndsAt });
  const renewed = { ...started, periodStart: april, periodEnd: may };
  assert.equal(await at([{ type: 'SubscriptionRenewed', data: { periodStart: april, periodEnd: may } }]), renewed);

  const pendingChange = { membershipTypeId: silver, interval: 'month', amountCents: 1000, monthlyAmountCents: 1000, currency: 'EUR', effectiveAt: may };
  const scheduled = await at([{ type: 'SubscriptionPlanChangeScheduled', data: stripeTerms(silver, 1000, may, june) }]);
  assert.equal(scheduled, { ...renewed, pendingChange }, 'the downgrade waits; the terms in force are gold’s');
  const ending = await at([{ type: 'SubscriptionCancellationScheduled', data: { cancelAt: may } }]);
  assert.equal(ending, { ...renewed, pendingChange, cancelAtPeriodEnd: true });

  const cancelled = await at([{ type: 'SubscriptionCancelled', data: { reason: 'cancelled-in-stripe' } }]);
  assert.equal(cancelled, { ...renewed, cancelAtPeriodEnd: true, status: 'cancelled' }, 'the ended one stays visible, its pending change gone');
  const ended = await h.database.pool.query('SELECT subscription FROM rm_members WHERE member_id = $1', [memberId]);
  assert.is(ended.rows[0].subscription, null, 'the scheduler’s column holds no ended subscription (due-work.ts)');

  const again = await at([{ type: 'SubscriptionStarted', data: stripeTerms(silver, 1000, june, '2026-07-01T00:00:00.000Z') }]);
  assert.equal(again, { ...stripeTerms(silver, 1000, june, '2026-07-01T00:00:00.000Z'), status: 'active', cancelAtPeriodEnd: false,
    pendingChange: null, graceEndsAt: null });
});

test('past due beyond its grace is lapsed (no grace shown); reinstated it is active on the paid terms', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant();
  const [memberId, gold] = [uuidv7(), uuidv7()];
  const at = (events: DomainEvent[]) => appendToMember(h, tenantId, memberId, events).then((p) => subscriptionOf(h, owner, memberId, p));
  const graceEndsAt = '2026-04-15T00:00:00.000Z';
  const lapsed = await at([registered(memberId, 2), { type: 'SubscriptionStarted', data: stripeTerms(gold, 2000, march, april) },
    { type: 'SubscriptionPastDue', data: { graceEndsAt } }, { type: 'SubscriptionLapsed', data: { graceEndsAt } }]);
  assert.equal(lapsed, { ...stripeTerms(gold, 2000, march, april), status: 'lapsed', cancelAtPeriodEnd: false, pendingChange: null, graceEndsAt: null });
  const reinstated = await at([{ type: 'SubscriptionReinstated', data: stripeTerms(gold, 2500, april, may) }]);
  assert.equal(reinstated, { ...stripeTerms(gold, 2500, april, may), status: 'active', cancelAtPeriodEnd: false, pendingChange: null, graceEndsAt: null });
});

test('a subscription started through POST /v1/members/:id/subscription is billed manually; cancelled now it shows cancelled', async ({ h }) => {
  const { owner } = await h.createTenant();
  const type = await h.command('POST', '/v1/membership-types', owner, { name: 'Gold', monthlyPriceCents: 2000, currency: 'EUR', features: [] });
  const member = await h.command('POST', '/v1/members', owner, { email: 'manual@example.org', firstName: 'M', lastName: 'M' });
  const { memberId } = member.body;
  const started = await h.command('POST', `/v1/members/${memberId}/subscription`, owner, { membershipTypeId: type.body.membershipTypeId, interval: 'year' });
  assert.is(started.status, 200, started.text);
  const active = await subscriptionOf(h, owner, memberId, started.body.position);
  assert.equal([active.billing, active.status, active.membershipTypeId, active.interval, active.monthlyAmountCents, active.amountCents],
    ['manual', 'active', type.body.membershipTypeId, 'year', 2000, 24000]);
  const cancelled = await h.command('POST', `/v1/members/${memberId}/subscription/cancel`, owner, { atPeriodEnd: false });
  assert.equal(await subscriptionOf(h, owner, memberId, cancelled.body.position), { ...active, status: 'cancelled' });
});

test('redelivered events change nothing: the whole stream again, an older event alone, one event twice', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant();
  const [memberId, gold, silver] = [uuidv7(), uuidv7(), uuidv7()];
  await appendToMember(h, tenantId, memberId, [registered(memberId, 3), { type: 'SubscriptionStarted', data: stripeTerms(gold, 2000, march, april) },
    { type: 'SubscriptionPlanChangeScheduled', data: stripeTerms(silver, 1000, april, may) },
    { type: 'SubscriptionPastDue', data: { graceEndsAt: '2026-04-15T00:00:00.000Z' } }]);
  const position = await appendToMember(h, tenantId, memberId, [{ type: 'SubscriptionCancelled', data: { reason: 'cancelled-in-stripe' } }]);
  assert.is((await subscriptionOf(h, owner, memberId, position)).status, 'cancelled');
  const row = async () => JSON.stringify((await h.platform.writePool.query('SELECT * FROM rm_members WHERE member_id = $1', [memberId])).rows);
  const before = await row();
  const stream = await h.platform.eventStore.readStream(tenantStreamId('member', tenantId, memberId));
  const reapply = (batch: typeof stream) => applyCheckpointedBatch(h.platform.writePool, { ...postgresReadModels, name: `replay-${uuidv7()}` }, batch);
  await reapply(stream);
  assert.is(await row(), before, 'the whole stream again');
  await reapply([stream[1]!]);
  assert.is(await row(), before, 'the start redelivered alone does not bring the cancelled subscription back');
  await reapply([stream[3]!, stream[3]!]);
  assert.is(await row(), before, 'the past due twice');
});

test('?subscriptionStatus= takes active, past_due, lapsed, cancelled or none; anything else is a 400 problem', async ({ h }) => {
  const { owner } = await h.createTenant();
  for (const url of ['/v1/members?subscriptionStatus=bogus', '/v1/members/export.csv?subscriptionStatus=bogus', '/v1/members?subscriptionStatus=']) {
    const reply = await h.query(url, owner);
    assert.is(reply.status, 400, `${url}: ${reply.text}`);
    assert.match(String(reply.headers['content-type']), 'application/problem+json', url);
    assert.is(reply.body.code, 'validation-failed', url);
    assert.ok(reply.body.errors.some((e: { path: string }) => e.path.includes('subscriptionStatus')), reply.text);
  }
  for (const value of ['active', 'past_due', 'lapsed', 'cancelled', 'none']) {
    assert.is((await h.query(`/v1/members?subscriptionStatus=${value}`, owner)).status, 200, value);
  }
});

test.run();
