import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EventEnvelope } from '../../infra/event-store/port';
import type { PartitionMessage } from './partition-batch';
import { applyOrIsolate } from './poison-isolation';
import { isTransientError } from './transient-errors';

const messages: PartitionMessage[] = ['0', '1', '2'].map((offset) => ({ offset, event: { position: Number(offset) + 1 } as EventEnvelope }));
const sqlError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

test('a message that fails twice is dead-lettered and its neighbours are applied', async () => {
  const applied: string[] = [];
  const poisoned: number[] = [];
  const result = await applyOrIsolate(messages, async (part) => {
    if (part.some((m) => m.offset === '1' && m.event !== null)) throw sqlError('22P02');
    applied.push(...part.map((m) => `${m.offset}${m.event ? '' : ' (offset only)'}`));
    return part.at(-1)!.offset;
  }, async (index) => {
    poisoned.push(index);
  });
  assert.equal(poisoned, [1]);
  assert.equal(applied, ['0', '1 (offset only)', '2']);
  assert.is(result, '2');
});

test('a deadlock or a lost connection is retried in place and never dead-letters anything', async () => {
  let calls = 0;
  const poisoned: number[] = [];
  const result = await applyOrIsolate(messages, async () => {
    calls++;
    if (calls === 1) throw sqlError('40P01');
    if (calls === 2) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    return 'applied';
  }, async (index) => {
    poisoned.push(index);
  });
  assert.is(result, 'applied');
  assert.is(calls, 3, 'the whole batch, applied once it could be');
  assert.equal(poisoned, []);
});

test('transient: connection, deadlock, serialisation, shutdown; not: bad data, constraint, code errors', () => {
  for (const code of ['08006', '40P01', '40001', '53300', '57P01']) assert.ok(isTransientError(sqlError(code)), code);
  assert.ok(isTransientError(new Error('Connection terminated unexpectedly')));
  for (const code of ['22P02', '23505', '42P01']) assert.not.ok(isTransientError(sqlError(code)), code);
  assert.not.ok(isTransientError(new TypeError('Cannot read properties of undefined')));
});

test.run();
