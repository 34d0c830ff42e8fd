import { randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { WrongExpectedRevisionError, type EventStore, type NewEvent } from './port';
import { concurrentAppendCases } from './concurrent-appends-contract';
import { tenantStreamId } from './stream-name';

/**
 * The behaviour every EventStore adapter must have. Run by each adapter's test file against its
 * real engine; `open` gives a store over an empty log.
 */
export function eventStoreContract(name: string, open: () => Promise<{ store: EventStore; close: () => Promise<void> }>) {
  const test = suite<{ store: EventStore; close: () => Promise<void> }>(`event store contract: ${name}`);
  test.before.each(async (context) => {
    Object.assign(context, await open());
  });
  test.after.each(async (context) => context.close());

  const tenantId = randomUUID();
  const event = (n: number, tenant = tenantId): NewEvent => ({
    eventId: uuidv7(), type: 'ActivityRecorded', schemaVersion: 1, tenantId: tenant,
    occurredAt: '2026-01-01T00:00:00.000Z', actor: { system: 'test' },
    correlationId: randomUUID(), causationId: randomUUID(),
    data: { memberId: randomUUID(), activityType: 'login', occurredAt: '2026-01-01T00:00:00.000Z', n },
  });
  const stream = () => tenantStreamId('activity', tenantId, randomUUID());

  test('append then read a stream: revisions from 0, positions increasing, envelope intact', async ({ store }) => {
    const id = stream();
    const first = event(1);
    const result = await store.append(id, [first, event(2)], 'no-stream');
    assert.is(result.nextExpectedRevision, 1);
    const read = await store.readStream(id);
    assert.equal(read.map((e) => e.streamRevision), [0, 1]);
    assert.ok(read[0]!.position < read[1]!.position);
    assert.is(read[1]!.position, result.position);
    assert.is(read[0]!.eventId, first.eventId);
    assert.equal(read[0]!.data, first.data);
    assert.equal(read[0]!.actor, { system: 'test' });
    assert.is(read[0]!.tenantId, tenantId);
    assert.equal(await store.readStream(stream()), []);
  });

  test('a stale or wrong expected revision is refused and appends nothing', async ({ store }) => {
    const id = stream();
    await store.append(id, [event(1)], 'no-stream');
    for (const expected of ['no-stream', 1, 5] as const) {
      try {
        await store.append(id, [event(2)], expected);
        assert.unreachable(`expected ${expected} must be refused`);
      } catch (error) {
        assert.instance(error, WrongExpectedRevisionError);
        assert.is((error as WrongExpectedRevisionError).actual, 0);
      }
    }
    await store.append(id, [event(3)], 0);
    assert.is((await store.readStream(id)).length, 2);
  });

  test('50 concurrent writers on one stream: no lost update', async ({ store }) => {
    const id = stream();
    await store.append(id, [event(0)], 'no-stream');
    const sameRevision = await Promise.allSettled(Array.from({ length: 50 }, (_, n) => store.append(id, [event(n)], 0)));
    assert.is(sameRevision.filter((r) => r.status === 'fulfilled').length, 1);
    assert.ok(sameRevision.filter((r) => r.status === 'rejected')
      .every((r) => (r as PromiseRejectedResult).reason instanceof WrongExpectedRevisionError));

    // Each writer reads, decides and retries on conflict, as the command handler does.
    const writeOnce = async (n: number) => {
      for (;;) {
        const revision = (await store.readStream(id)).length - 1;
        try {
          return await store.append(id, [event(n)], revision);
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 50 }, (_, n) => writeOnce(n)));
    const all = await store.readStream(id);
    assert.is(all.length, 52);
    assert.equal(all.map((e) => e.streamRevision), Array.from({ length: 52 }, (_, n) => n));
  });

  test('a global-log reader sees every committed event exactly once, in order, under concurrent writers', async ({ store }) => {
    const start = await store.headPosition();
    const writers = 24;
    const appendsPerWriter = 15;
    const written: string[] = [];
    const seen: string[] = [];
    let lastPosition = start;
    let writing = true;
    let giveUpAt = Infinity;
    const reader = (async () => {
      // A skipped event would keep the reader waiting forever: give it a bounded time to catch up.
      while (writing || (seen.length < written.length && Date.now() < giveUpAt)) {
        const batch = await store.readAll(lastPosition, { limit: 100, tenantId });
        for (const e of batch) {
          assert.ok(e.position > lastPosition, 'positions increase along the log');
          lastPosition = e.position;
          seen.push(e.eventId);
        }
        if (batch.length === 0) await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await Promise.all(Array.from({ length: writers }, async () => {
      for (let i = 0; i < appendsPerWriter; i++) {
        const events = [event(i), event(i)];
        await store.append(stream(), events, 'no-stream');
        written.push(...events.map((e) => e.eventId));
      }
    }));
    writing = false;
    giveUpAt = Date.now() + 5_000;
    await reader;
    assert.is(seen.length, writers * appendsPerWriter * 2);
    assert.is(new Set(seen).size, seen.length, 'no event seen twice');
    assert.equal(new Set(seen), new Set(written), 'no event skipped');
  });

  test('reading the log by tenant returns only that tenant’s events; streams can be checked for existence', async ({ store }) => {
    const otherTenant = randomUUID();
    const mine = stream();
    await store.append(mine, [event(1)], 'no-stream');
    await store.append(tenantStreamId('activity', otherTenant, randomUUID()), [event(2, otherTenant)], 'no-stream');
    const page = await store.readAll(0, { tenantId: otherTenant, limit: 10 });
    assert.is(page.length, 1);
    assert.is(page[0]!.tenantId, otherTenant);
    const exists = await store.existingStreams([mine, stream()]);
    assert.equal([...exists], [mine]);
  });

  concurrentAppendCases(test, event, stream);
  return test;
}
