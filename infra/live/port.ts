/**
 * How the projections tell the query APIs that a tenant's member changes were committed
 * (DESIGN §12): in memory in embedded mode, Redis pub/sub in distributed mode. It carries only a
 * wake-up — the changes themselves are read from rm_member_changes — so a lost message (Redis
 * down, a reconnect) delays a subscriber until the next wake or poll, and never loses a change.
 */
export type LiveChangeNotifier = {
  /** After a commit: these tenants have new member changes. Never throws; best effort. */
  notify: (tenantIds: readonly string[]) => void;
  /**
   * Calls `listener` with a tenant id for each notification, or with no id when notifications may
   * have been missed (a reconnect to Redis): then every tenant should look. Returns the unsubscribe.
   */
  subscribe: (listener: (tenantId?: string) => void) => () => void;
  close: () => Promise<void>;
};
