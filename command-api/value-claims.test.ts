import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { eventDefinitions } from '../domain/event-definitions';
import { DomainError } from '../domain/shared/domain-error';
import { guardEventStore } from '../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import type { CommandContext } from './handle-command';
import { createStreamStates, type StreamStates } from './stream-states';
import { claimValue, type ClaimTarget } from './value-claims';

const test = suite<{ db: TestDatabase; streams: StreamStates }>('value claims');
test.before(async (context) => {
  context.db = await createTestDatabase();
  context.streams = createStreamStates(guardEventStore(createPostgresEventStore(context.db.pool), eventDefinitions));
});
test.after(async ({ db }) => db.drop());

const tenantId = uuidv7();
const contextAt = (now: Date): CommandContext => ({
  tenantId, actor: { system: 'test' }, correlationId: 'c', causationId: 'c', now: now.toISOString(), newId: uuidv7,
});
const target = (holderUsesIt: boolean): ClaimTarget => ({
  streamId: tenantStreamId('memberemail', tenantId, 'x'), value: 'x@example.org', conflictCode: 'email-already-used',
  holderDoesNotUseIt: async () => !holderUsesIt,
});

test('a claim held by a live owner is refused; a stale one is taken over only after 30 seconds', async ({ streams }) => {
  const first = uuidv7();
  const second = uuidv7();
  await claimValue(streams, target(true), first, contextAt(new Date()));
  const refused = await claimValue(streams, target(true), second, contextAt(new Date())).catch((e) => e);
  assert.instance(refused, DomainError);
  assert.is((refused as DomainError).code, 'email-already-used');
  // The holder never came to exist, but the claim is young: its command may still be running.
  const tooSoon = await claimValue(streams, target(false), second, contextAt(new Date())).catch((e) => e);
  assert.instance(tooSoon, DomainError);
  await claimValue(streams, target(false), second, contextAt(new Date(Date.now() + 60_000)));
  const history = await streams.store.readStream(target(false).streamId);
  assert.equal(history.map((e) => (e.data as { ownerId: string }).ownerId), [first, second]);
});

test('many concurrent takeovers of one stale claim: exactly one wins, the others are refused', async ({ db, streams }) => {
  const staleHolder = uuidv7();
  // Only the first holder is stale (its member never came to exist); a winner is a real holder.
  const contested: ClaimTarget = {
    ...target(false), streamId: tenantStreamId('memberemail', tenantId, 'contested'),
    holderDoesNotUseIt: async (holderId) => holderId === staleHolder,
  };
  await claimValue(streams, contested, staleHolder, contextAt(new Date()));
  const later = new Date(Date.now() + 60_000);
  // One cache per contender, as if each ran in its own process.
  const store = guardEventStore(createPostgresEventStore(db.pool), eventDefinitions);
  const contenders = Array.from({ length: 24 }, () => uuidv7());
  const outcomes = await Promise.all(contenders.map((owner) =>
    claimValue(createStreamStates(store), contested, owner, contextAt(later)).then(() => 'won', (e) => e)));
  assert.is(outcomes.filter((o) => o === 'won').length, 1);
  for (const refused of outcomes.filter((o) => o !== 'won')) assert.is((refused as DomainError).code, 'email-already-used');
  const claims = (await store.readStream(contested.streamId)).filter((e) => e.type === 'ValueClaimed');
  assert.is(claims.length, 2, 'the stale claim and one takeover');
  assert.ok(contenders.includes((claims[1]!.data as { ownerId: string }).ownerId));
});

test('a claim stores the value’s hash, never the value itself', async ({ db, streams }) => {
  await claimValue(streams, { ...target(true), streamId: tenantStreamId('memberemail', tenantId, 'private') }, uuidv7(), contextAt(new Date()));
  const { rows } = await db.pool.query(`SELECT data::text FROM events WHERE type = 'ValueClaimed'`);
  assert.ok(rows.length > 0);
  for (const row of rows) assert.not.match(row.data, 'x@example.org');
});

test.run();
