import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryNotifier } from '../../infra/live/memory-notifier';
import { tenantStreamId } from '../../infra/event-store/stream-name';
import type { EventEnvelope } from '../../infra/event-store/port';
import type { PartitionApplier } from '../runtime/kafka-projector';
import { wakingLiveStreams } from './live-change-wakeups';

const on = (streamId: string, tenantId: string) => ({ streamId, tenantId }) as EventEnvelope;

test('distributed: after a partition batch commits, the tenants with member events are woken, once each; a failed batch wakes nobody', async () => {
  const notifier = createMemoryNotifier();
  const woken: (string | undefined)[] = [];
  notifier.subscribe((tenantId) => woken.push(tenantId));
  let fail = false;
  const applier: PartitionApplier = {
    name: 'postgres-read-models', replay: async () => undefined,
    apply: async () => {
      if (fail) throw new Error('database down');
      assert.equal(woken, [], 'not before the commit');
      return { nextOffset: 3, position: 30 };
    },
  } as unknown as PartitionApplier;
  const waking = wakingLiveStreams(applier, notifier);
  const messages = [
    { offset: '0', event: on(tenantStreamId('member', 'a', 'm1'), 'a') },
    { offset: '1', event: on(tenantStreamId('member', 'a', 'm2'), 'a') },
    { offset: '2', event: on(tenantStreamId('activity', 'b', 'x'), 'b') },
    { offset: '3', event: null },
  ];
  assert.equal(await waking.apply(0, messages), { nextOffset: 3, position: 30 });
  assert.equal(woken, ['a']);
  fail = true;
  assert.is(await waking.apply(0, messages).then(() => 'applied', (error: Error) => error.message), 'database down');
  assert.equal(woken, ['a']);
});

test.run();
