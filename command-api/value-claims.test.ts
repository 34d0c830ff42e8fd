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

test.run();
