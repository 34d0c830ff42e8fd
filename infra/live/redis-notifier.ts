import { createRedisClient, type Redis } from '../redis/redis-client';
import type { LiveChangeNotifier } from './port';

/** The one channel of every tenant's wake-ups: a message is a comma-separated list of tenant ids. */
export const liveChangesChannel = 'membership:live:member-changes';

/**
 * Distributed mode: projectors publish, every query-API instance subscribes, so a client of any
 * instance hears of every change of its tenant. Publishing while Redis is down drops the wake-up
 * (the query APIs' poll covers it); after each (re)subscription the listeners are told to look at
 * every tenant, since messages sent meanwhile are gone.
 */
export function createRedisNotifier(url: string, options: { onError?: (error: Error) => void } = {}): LiveChangeNotifier {
  const publisher = createRedisClient(url, { name: 'live-publisher', onError: options.onError });
  let subscriber: Redis | undefined;
  const listeners = new Set<(tenantId?: string) => void>();
  const tellAll = (tenantId?: string) => { for (const listener of listeners) listener(tenantId); };
  const startSubscriber = () => {
    subscriber = createRedisClient(url, { name: 'live-subscriber', onError: options.onError });
    // Without an offline queue, SUBSCRIBE is sent once connected, and again after every reconnect.
    subscriber.on('ready', () => {
      subscriber!.subscribe(liveChangesChannel).then(() => tellAll(), (error: Error) => options.onError?.(error));
    });
    subscriber.on('message', (_channel: string, message: string) => {
      for (const tenantId of message.split(',')) if (tenantId) tellAll(tenantId);
    });
  };
  return {
    notify(tenantIds) {
      if (tenantIds.length === 0) return;
      publisher.publish(liveChangesChannel, tenantIds.join(',')).catch(() => undefined);
    },
    subscribe(listener) {
      if (!subscriber) startSubscriber();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      publisher.disconnect();
      subscriber?.disconnect();
    },
  };
}
