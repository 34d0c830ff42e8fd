/**
 * Work on one key runs one at a time in this process, in arrival order. Used where every command
 * on a key appends to the same stream (a tenant's plan usage, its billing): without it, concurrent
 * requests would mostly lose their expected-revision race and retry.
 */
export function createInTurn() {
  const queues = new Map<string, Promise<unknown>>();
  return function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (queues.get(key) ?? Promise.resolve()).then(work, work);
    const settled = next.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  };
}
