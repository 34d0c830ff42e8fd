import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { EventSchemaError, guardEventStore } from './guarded-event-store';
import type { EventEnvelope, EventStore, NewEvent } from './port';

const tenantId = '0190a000-0000-7000-8000-0000000000f1';
const otherTenant = '0190a000-0000-7000-8000-0000000000f2';

/** A store holding a fixed log, recording what reaches it: the guard is what is under test. */
function storeHolding(stored: EventEnvelope[]) {
  const appended: NewEvent[] = [];
  const store: EventStore = {
    append: async (_streamId, events) => {
      appended.push(...events);
      return { nextExpectedRevision: 0, position: 1 };
    },
    readStream: async () => stored,
    readAll: async () => stored,
    existingStreams: async () => new Set(),
    headPosition: async () => 0,
  };
  return { store, appended };
}

const definitions = {
  NameGiven: {
    schemaVersion: 2,
    schema: z.object({ firstName: z.string(), lastName: z.string() }),
    upcasters: { 1: (data: unknown) => {
      const [firstName = '', lastName = ''] = String((data as { name: string }).name).split(' ');
      return { firstName, lastName };
    } },
  },
};
const envelope = (schemaVersion: number, data: unknown, streamId = `member-${tenantId}_1`): EventEnvelope => ({
  eventId: '0190a000-0000-7000-8000-000000000001', type: 'NameGiven', schemaVersion, streamId, streamRevision: 0, position: 1,
  tenantId, occurredAt: '2026-01-01T00:00:00.000Z', recordedAt: '2026-01-01T00:00:00.000Z', actor: { system: 'test' },
  correlationId: 'c', causationId: 'c', data,
});

test('old schema versions are upcast on read; the stored event is left as it was', async () => {
  const stored = envelope(1, { name: 'Ada Lovelace' });
  const [read] = await guardEventStore(storeHolding([stored]).store, definitions).readStream(stored.streamId);
  assert.equal(read!.data, { firstName: 'Ada', lastName: 'Lovelace' });
  assert.is(read!.schemaVersion, 2);
  assert.equal(stored.data, { name: 'Ada Lovelace' });
});

test('writes must use the current version, a valid payload, a known type and the stream’s tenant', async () => {
  const { store, appended } = storeHolding([]);
  const guarded = guardEventStore(store, definitions);
  const { streamId, streamRevision: _r, position: _p, recordedAt: _at, ...valid } = envelope(2, { firstName: 'A', lastName: 'B' });
  for (const bad of [
    { ...valid, schemaVersion: 1 },
    { ...valid, data: { firstName: 7 } },
    { ...valid, type: 'NeverHeardOf' },
    { ...valid, tenantId: otherTenant },
  ]) {
    const error = await guarded.append(streamId, [bad], 'any').catch((e) => e);
    assert.instance(error, EventSchemaError);
  }
  assert.is(appended.length, 0);
  await guarded.append(streamId, [valid], 'any');
  assert.is(appended.length, 1);
});

test('an event from a newer version of the code is refused on read rather than misread', async () => {
  const error = await guardEventStore(storeHolding([envelope(3, {})]).store, definitions).readAll(0, { limit: 1 }).catch((e) => e);
  assert.instance(error, EventSchemaError);
});

test.run();
