import type { LiveChangeNotifier } from './port';

/** Embedded mode: the projection and the query API share the process, so a call is the message. */
export function createMemoryNotifier(): LiveChangeNotifier {
  const listeners = new Set<(tenantId?: string) => void>();
  return {
    notify(tenantIds) {
      for (const tenantId of tenantIds) for (const listener of listeners) listener(tenantId);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
