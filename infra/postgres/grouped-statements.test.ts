import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { groupStatements } from './grouped-statements';

test('calls made while a batch runs go together in the next one, each gets its own result, in order', async () => {
  const batches: number[][] = [];
  const double = groupStatements(async (items: number[]) => {
    batches.push(items);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return items.map((n) => n * 2);
  });
  const results = await Promise.all([1, 2, 3, 4, 5].map((n) => double(n)));
  assert.equal(results, [2, 4, 6, 8, 10]);
  assert.equal(batches, [[1], [2, 3, 4, 5]], 'the first runs alone, the rest wait for it and go together');
  assert.equal(await double(7), 14, 'a lone call later runs at once');
});

test('a failed batch fails each of its calls, and the next batch still runs', async () => {
  let calls = 0;
  const run = groupStatements(async (items: string[]) => {
    calls += 1;
    if (calls === 1) throw new Error('database gone');
    return items.map((item) => item.toUpperCase());
  });
  const first = await run('a').catch((error: Error) => error.message);
  assert.is(first, 'database gone');
  assert.is(await run('b'), 'B');
});

test('at most maxBatch items per batch', async () => {
  const sizes: number[] = [];
  const run = groupStatements(async (items: number[]) => {
    sizes.push(items.length);
    await new Promise((resolve) => setImmediate(resolve));
    return items;
  }, 3);
  await Promise.all(Array.from({ length: 8 }, (_, i) => run(i)));
  assert.equal(sizes, [1, 3, 3, 1]);
});

test.run();
