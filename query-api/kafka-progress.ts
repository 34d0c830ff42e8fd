import type { Pool } from 'pg';
import { listenToProgress } from './progress-notifications';
import { analyticsProjection, defaultProgressOptions, kafkaPartitionProgress, readModelProjection } from './read-model-progress';
import type { TenantPositions } from './tenant-positions';

export type KafkaProgressOptions = {
  /** The query role's pool, for the fallback readings. */
  pool: Pick<Pool, 'query'>;
  positions: TenantPositions;
  topic: string;
  /** The query role's connection string: the listening connection is one of its own, off the pool. */
  connectionString: string;
  maxWaitersPerTenant?: number;
  /** How often the table is read while the commits are notified (defaultFallbackPollMs). */
  fallbackPollMs?: number;
  /** How long the listener waits before connecting again after losing its connection. */
  retryMs?: number;
  onError?: (error: unknown) => void;
};

/**
 * While the commits are pushed, a reading of the table is only a fallback (a projector that does
 * not notify yet, in a rolling upgrade): this often, not every few milliseconds.
 */
export const defaultFallbackPollMs = 100;

/**
 * Where the Kafka projections stand, for X-Consistency-Position in a distributed query API: the
 * read models' and the analytics' partition checkpoints, both woken by the projectors' commits
 * (LISTEN, progress-notifications.ts) and read from the table only as a fallback while the
 * listening connection is up, every few milliseconds while it is not.
 */
export function followKafkaProgress(options: KafkaProgressOptions) {
  const { pool, positions, topic } = options;
  let listening = () => false;
  const pollMs = () => (listening() ? options.fallbackPollMs ?? defaultFallbackPollMs : defaultProgressOptions.pollMs);
  const waiters = options.maxWaitersPerTenant === undefined ? {} : { maxWaitersPerTenant: options.maxWaitersPerTenant };
  const progressOf = (projection: string) => kafkaPartitionProgress(pool, positions, topic, projection, { ...waiters, pollMs, onError: options.onError });
  const followed = new Map([readModelProjection, analyticsProjection].map((projection) => [projection, progressOf(projection)]));
  const notifications = listenToProgress({
    connectionString: options.connectionString,
    retryMs: options.retryMs,
    onError: options.onError,
    onMoved: (moved) => {
      if (moved.topic === topic) followed.get(moved.projection)?.moved(moved.partition, moved.position);
    },
  });
  listening = notifications.listening;
  return { readModels: followed.get(readModelProjection)!, analytics: followed.get(analyticsProjection)!, listening, close: notifications.close };
}
