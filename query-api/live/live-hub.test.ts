import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryNotifier } from '../../infra/live/memory-notifier';
import { createLiveHub } from './live-hub';
import type { MemberChange, MemberChangeReader } from './member-change-reader';

/** A tenant's feed in memory: the hub's logic on its own (the SQL reader is tested through the stream tests). */
function memoryReader(changes: MemberChange[]) {
  const calls = { after: 0 };
  const reader: MemberChangeReader = {
    head: async () => changes.at(-1)?.seq ?? 0,
    resumeSeqOf: async (_tenant, position) => changes.filter((c) => c.position <= position).at(-1)?.seq ?? 0,
    after: async (_tenant, seq, limit) => {
      calls.after += 1;
      return changes.filter((c) => c.seq > seq).slice(0, limit);
    },
  };
  return { reader, calls };
}
const change = (seq: number): MemberChange => ({ seq, position: seq * 10, memberId: `m${seq}`, status: 'active', revision: 0 });

test('a subscriber gets its backlog after Last-Event-ID, then what comes, each once in order', async () => {
  const changes = Array.from({ length: 1200 }, (_, i) => change(i + 1));
  const { reader } = memoryReader(changes);
  const notifier = createMemoryNotifier();
  const hub = createLiveHub({ reader, notifier, pollMs: 60_000, pageSize: 500 });
  const seen: number[] = [];
  const leave = await hub.join('t', 100 * 10, (page) => seen.push(...page.map((c) => c.seq)));
  assert.equal(seen, changes.slice(100).map((c) => c.seq));
  changes.push(change(1201), change(1202));
  notifier.notify(['t']);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(seen.slice(-3), [1200, 1201, 1202]);
  assert.is(new Set(seen).size, seen.length);
  leave();
  assert.equal(hub.stats(), { tenants: 0, subscribers: 0 });
  hub.close();
});

test('a client gone while its backlog is read stops the reading (no whole backlog for a dead connection)', async () => {
  const { reader, calls } = memoryReader(Array.from({ length: 20_000 }, (_, i) => change(i + 1)));
  const hub = createLiveHub({ reader, notifier: createMemoryNotifier(), pollMs: 60_000, pageSize: 500 });
  let closed = false;
  const leave = await hub.join('t', 0, () => { closed = true; }, () => closed);
  assert.is(calls.after, 1, 'one page read, then the client was gone');
  leave();
  hub.close();
});

test.run();
