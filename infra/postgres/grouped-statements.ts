/**
 * Group commit for independent statements: while one batch is in flight, calls queue up, and the
 * next batch takes all of them at once. Nothing waits on a timer, so a lone call costs what it
 * did; under concurrency, N calls cost about one round trip each batch instead of N.
 * `runBatch` must answer one result per item, in order; if it throws, every call of the batch
 * fails with that error.
 */
export function groupStatements<Item, Result>(runBatch: (items: Item[]) => Promise<Result[]>, maxBatch = 500) {
  type Waiting = { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void };
  let queue: Waiting[] = [];
  let running = false;

  async function drain() {
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await runBatch(batch.map((waiting) => waiting.item));
        batch.forEach((waiting, index) => waiting.resolve(results[index]!));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    running = false;
  }

  return (item: Item) => new Promise<Result>((resolve, reject) => {
    queue.push({ item, resolve, reject });
    if (!running) void drain();
  });
}
