import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import { WrongExpectedRevisionError, type EventStore, type NewEvent } from './port';

type Context = { store: EventStore; close: () => Promise<void> };

/**
 * Contract cases for many appends at once, which an adapter may commit together (the PostgreSQL
 * store groups concurrent appends into one transaction): each append keeps its own expectation
 * and its own outcome, whatever its neighbours do.
 */
export function concurrentAppendCases(test: Test<Context>, event: (n: number) => NewEvent, stream: () => string) {
  test('concurrent appends to different streams: each lands whole, revisions from 0, positions distinct and in order', async ({ store }) => {
    const appends = Array.from({ length: 120 }, (_, n) => ({ id: stream(), events: Array.from({ length: 1 + (n % 3) }, () => event(n)) }));
    const results = await Promise.all(appends.map(({ id, events }) => store.append(id, events, 'no-stream')));
    const positions = new Set<number>();
    for (const [index, { id, events }] of appends.entries()) {
      const read = await store.readStream(id);
      assert.equal(read.map((e) => e.eventId), events.map((e) => e.eventId));
      assert.equal(read.map((e) => e.streamRevision), events.map((_, revision) => revision));
      assert.is(results[index]!.nextExpectedRevision, events.length - 1);
      assert.is(results[index]!.position, read.at(-1)!.position);
      read.forEach((e, i) => i > 0 && assert.ok(e.position > read[i - 1]!.position, 'in revision order'));
      for (const e of read) positions.add(e.position);
    }
    assert.is(positions.size, appends.reduce((n, a) => n + a.events.length, 0), 'no two events share a position');
  });

  test('a bad expectation among good ones fails only its own append, with the actual revision', async ({ store }) => {
    const ids = Array.from({ length: 30 }, stream);
    await Promise.all(ids.map((id) => store.append(id, [event(0)], 'no-stream')));
    const expectations = ids.map((_, n) => (n % 10 === 3 ? 5 : n % 10 === 7 ? 'no-stream' as const : 0));
    const outcomes = await Promise.allSettled(ids.map((id, n) => store.append(id, [event(1), event(2)], expectations[n]!)));
    for (const [n, outcome] of outcomes.entries()) {
      const read = await store.readStream(ids[n]!);
      if (expectations[n] === 0) {
        assert.is(outcome.status, 'fulfilled', `append ${n} with a good expectation succeeds`);
        assert.is(read.length, 3);
      } else {
        assert.is(outcome.status, 'rejected');
        const error = (outcome as PromiseRejectedResult).reason;
        assert.instance(error, WrongExpectedRevisionError);
        assert.is((error as WrongExpectedRevisionError).actual, 0);
        assert.is(read.length, 1, 'a refused append adds nothing');
      }
    }
  });

  test('an event id already stored fails only its own append; its neighbours land', async ({ store }) => {
    const stored = event(0);
    await store.append(stream(), [stored], 'no-stream');
    const ids = Array.from({ length: 20 }, stream);
    const outcomes = await Promise.allSettled(ids.map((id, n) => store.append(id, [event(n), ...(n === 11 ? [stored] : [])], 'no-stream')));
    assert.equal(outcomes.map((o) => o.status), ids.map((_, n) => (n === 11 ? 'rejected' : 'fulfilled')));
    assert.equal(await store.readStream(ids[11]!), [], 'the refused append wrote none of its events');
    assert.is((await store.readStream(ids[12]!)).length, 1);
  });

  test('concurrent appends to one stream, mixed with others: every "any" lands, revisions stay dense', async ({ store }) => {
    const shared = stream();
    const others = Array.from({ length: 20 }, stream);
    await Promise.all([
      ...Array.from({ length: 20 }, (_, n) => store.append(shared, [event(n), event(n)], 'any')),
      ...others.map((id, n) => store.append(id, [event(n)], 'no-stream')),
    ]);
    const read = await store.readStream(shared);
    assert.equal(read.map((e) => e.streamRevision), Array.from({ length: 40 }, (_, n) => n));
    read.forEach((e, i) => i > 0 && assert.ok(e.position > read[i - 1]!.position, 'log order follows revision order'));
  });

  test('appends of more events at once than one transaction holds still get distinct, ordered positions', async ({ store }) => {
    const ids = Array.from({ length: 6 }, stream);
    await Promise.all(ids.map((id) => store.append(id, Array.from({ length: 1500 }, (_, n) => event(n)), 'no-stream')));
    const positions = (await Promise.all(ids.map((id) => store.readStream(id)))).flat().map((e) => e.position);
    assert.is(new Set(positions).size, 9000);
  });
}
