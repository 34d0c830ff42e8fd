import type { LiveChangeNotifier } from '../../infra/live/port';
import type { MemberChange, MemberChangeReader } from './member-change-reader';

/** A connected client: it gets each of its tenant's changes once, in order, after `cursor` (a seq). */
type Subscriber = { cursor: number; catchingUp: boolean; pending: MemberChange[]; send: (changes: MemberChange[]) => void };

/** One tenant's shared reader in this process: one query per wake-up, whatever the subscriber count. */
type Feed = { tenantId: string; cursor: number; ready: Promise<void>; subscribers: Set<Subscriber>; reading: boolean; again: boolean };

export type LiveHubOptions = {
  reader: MemberChangeReader;
  notifier: LiveChangeNotifier;
  /** Every feed also looks this often: the fallback for wake-ups lost (Redis down, a reconnect). */
  pollMs?: number;
  pageSize?: number;
  onError?: (error: unknown) => void;
};

/**
 * The query API's side of the live updates (DESIGN §12). Per tenant with subscribers, a feed reads
 * rm_member_changes past its cursor when woken (notifier) or polled, and hands the rows to every
 * subscriber. A joining subscriber first reads its own backlog (after its Last-Event-ID, or
 * nothing) while the feed's deliveries wait in `pending`, then takes both in seq order: none lost,
 * none twice, whichever comes first.
 */
export function createLiveHub(options: LiveHubOptions) {
  const { reader, notifier, pollMs = 1000, pageSize = 500, onError = () => undefined } = options;
  const feeds = new Map<string, Feed>();

  const deliver = (subscriber: Subscriber, changes: MemberChange[]) => {
    const fresh = changes.filter((change) => change.seq > subscriber.cursor);
    if (fresh.length === 0) return;
    subscriber.cursor = fresh.at(-1)!.seq;
    subscriber.send(fresh);
  };

  const wake = async (feed: Feed) => {
    if (feed.reading) {
      feed.again = true;
      return;
    }
    feed.reading = true;
    try {
      await feed.ready;
      let page: MemberChange[];
      do {
        feed.again = false;
        page = await reader.after(feed.tenantId, feed.cursor, pageSize);
        if (page.length === 0) continue;
        feed.cursor = page.at(-1)!.seq;
        for (const subscriber of feed.subscribers) {
          if (subscriber.catchingUp) subscriber.pending.push(...page);
          else deliver(subscriber, page);
        }
      } while (feed.again || page.length === pageSize);
    } catch (error) {
      onError(error);
    } finally {
      feed.reading = false;
    }
  };

  const unsubscribe = notifier.subscribe((tenantId) => {
    if (tenantId === undefined) for (const feed of feeds.values()) void wake(feed);
    else {
      const feed = feeds.get(tenantId);
      if (feed) void wake(feed);
    }
  });
  const poller = setInterval(() => { for (const feed of feeds.values()) void wake(feed); }, pollMs);
  poller.unref();

  const feedOf = (tenantId: string): Feed => {
    const existing = feeds.get(tenantId);
    if (existing) return existing;
    const feed: Feed = { tenantId, cursor: 0, ready: Promise.resolve(), subscribers: new Set(), reading: false, again: false };
    // The feed starts at the head; a subscriber registers only once it has (see join).
    feed.ready = reader.head(tenantId).then((head) => { feed.cursor = Math.max(feed.cursor, head); });
    feed.ready.catch(() => feeds.get(tenantId) === feed && feed.subscribers.size === 0 && feeds.delete(tenantId));
    feeds.set(tenantId, feed);
    return feed;
  };

  return {
    /**
     * Subscribes `send` to the tenant's changes after `afterPosition` (Last-Event-ID), or after now.
     * Resolves once caught up; the returned function unsubscribes. Throws if the database fails.
     */
    async join(tenantId: string, afterPosition: number | undefined, send: (changes: MemberChange[]) => void,
      /** True once the client is gone: its backlog is read no further. */
      isClosed: () => boolean = () => false): Promise<() => void> {
      const feed = feedOf(tenantId);
      await feed.ready;
      // Its last subscriber left meanwhile and the feed was dropped: take the tenant's current one.
      if (feeds.get(tenantId) !== feed) return this.join(tenantId, afterPosition, send, isClosed);
      const subscriber: Subscriber = { cursor: Number.MAX_SAFE_INTEGER, catchingUp: true, pending: [], send };
      feed.subscribers.add(subscriber);
      const leave = () => {
        feed.subscribers.delete(subscriber);
        if (feed.subscribers.size === 0 && feeds.get(tenantId) === feed) feeds.delete(tenantId);
      };
      try {
        subscriber.cursor = afterPosition === undefined ? await reader.head(tenantId) : await reader.resumeSeqOf(tenantId, afterPosition);
        let page: MemberChange[];
        do {
          page = await reader.after(tenantId, subscriber.cursor, pageSize);
          deliver(subscriber, page);
        } while (page.length === pageSize && !isClosed());
      } catch (error) {
        leave();
        throw error;
      }
      subscriber.catchingUp = false;
      deliver(subscriber, subscriber.pending.splice(0));
      return leave;
    },
    stats: () => ({ tenants: feeds.size, subscribers: [...feeds.values()].reduce((sum, feed) => sum + feed.subscribers.size, 0) }),
    close() {
      clearInterval(poller);
      unsubscribe();
      feeds.clear();
    },
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;
