import type { Pool } from 'pg';
import { partitionOfKey } from '../infra/bus/kafka/partition-of-key';
import { defaultMaxWaitersPerTenant } from '../infra/config/config';
import { consistencyOverloaded, consistencyTimeout, notATenantPosition, type Idle, type ReadModelProgress } from './consistency';
import { createPositionFollower, type WaitOutcome } from './position-follower';
import type { TenantPositions } from './tenant-positions';

/** The projection that writes the tables this API reads (projectors/read-models.ts). */
export const readModelProjection = 'postgres-read-models';

/** The projection that writes the ClickHouse tables of the analytics routes (projectors/analytics/). */
export const analyticsProjection = 'clickhouse-analytics';

export type ProgressOptions = {
  /** Requests of one tenant that may wait at once; beyond, 503 consistency-overloaded. */
  maxWaitersPerTenant?: number;
  /** How often the projection's progress is read while requests wait (a function: see PositionFollowerOptions). */
  pollMs?: number | (() => number);
  onError?: (error: unknown) => void;
};

/** CONSISTENCY_MAX_WAITERS_PER_TENANT's default (infra/config/config.ts) is this one. */
export const defaultProgressOptions = { maxWaitersPerTenant: defaultMaxWaitersPerTenant, pollMs: 5 };

/** A progress with its follower's figures (for /metrics and tests). */
export type FollowedProgress = ReadModelProgress & { stats: () => { waiting: number; reads: number } };

const noIdle: Idle = (waiting) => waiting;

function settle(outcome: WaitOutcome, position: number, timeoutMs: number) {
  if (outcome === 'timeout') throw consistencyTimeout(position, timeoutMs);
  if (outcome === 'overloaded') throw consistencyOverloaded();
}

/**
 * Embedded mode: the projection follows the global log in order, so one checkpoint says it all:
 * a position is applied once the checkpoint has reached it. When the projection runs in this
 * process, `applied` (its onApplied) wakes waiters at once; the reading per tick stays as the
 * fallback, and is all a query API in another process has.
 */
export function logCheckpointProgress(
  pool: Pick<Pool, 'query'>, positions: TenantPositions, projection = readModelProjection, options: ProgressOptions = {},
): FollowedProgress & { applied: (checkpoint: number) => void } {
  const follower = createPositionFollower<number>({
    ...defaultProgressOptions, ...options,
    read: async () => {
      const { rows } = await pool.query('SELECT position FROM projection_checkpoints WHERE projection = $1', [projection]);
      return rows[0] ? Number(rows[0].position) : 0;
    },
    newest: Math.max,
  });
  return {
    async waitFor(tenantId, position, timeoutMs, idle = noIdle) {
      if (position === 0) return;
      if (await positions.streamOf(tenantId, position) === undefined) throw notATenantPosition(position);
      settle(await idle(follower.waitUntil(tenantId, (checkpoint) => checkpoint >= position, timeoutMs)), position, timeoutMs);
    },
    applied: (checkpoint: number) => follower.advance(checkpoint),
    stats: follower.stats,
  };
}

/** Partition → highest position applied; the row count is the topic's partition count (registerPartitions). */
type PartitionProgress = Map<number, number>;

/**
 * Distributed mode: the projection consumes Kafka partition by partition, each with its own
 * checkpoint, and positions only grow within a partition. The event's stream is mapped to the
 * partition the publisher sent it to, and that partition's highest applied position compared.
 * `moved` is a partition's progress as its projector's commit notified it (progress-notifications.ts):
 * news of it makes the follower read the table at once, the payload itself is never believed.
 */
export function kafkaPartitionProgress(
  pool: Pick<Pool, 'query'>, positions: TenantPositions, topic: string, projection = readModelProjection, options: ProgressOptions = {},
): FollowedProgress & { moved: (partition: number, position: number) => void } {
  const follower = createPositionFollower<PartitionProgress>({
    ...defaultProgressOptions, ...options,
    read: async () => {
      const { rows } = await pool.query(
        'SELECT partition, position FROM projection_partition_offsets WHERE projection = $1 AND topic = $2', [projection, topic]);
      return new Map(rows.map((row) => [Number(row.partition), Number(row.position)]));
    },
    newest: (a, b) => (b.size < a.size ? a : new Map([...b].map(([partition, at]) => [partition, Math.max(at, a.get(partition) ?? 0)]))),
  });
  return {
    async waitFor(tenantId, position, timeoutMs, idle = noIdle) {
      if (position === 0) return;
      const streamId = await positions.streamOf(tenantId, position);
      if (streamId === undefined) throw notATenantPosition(position);
      // No rows yet: no projector has started on this topic, nothing is applied. The partition is
      // hashed once per count, not at every tick for every waiter.
      let partition: { count: number; of: number } | undefined;
      const reached = (applied: PartitionProgress) => {
        if (applied.size === 0) return false;
        if (partition?.count !== applied.size) partition = { count: applied.size, of: partitionOfKey(streamId, applied.size) };
        return (applied.get(partition.of) ?? 0) >= position;
      };
      settle(await idle(follower.waitUntil(tenantId, reached, timeoutMs)), position, timeoutMs);
    },
    moved(partition, position) {
      // A hint, not a fact: any role that can connect can NOTIFY, so the table is read again
      // (only it is written by the projectors alone) when the hint is news.
      const known = follower.latest();
      if (!known?.has(partition) || known.get(partition)! >= position) return;
      follower.readSoon();
    },
    stats: follower.stats,
  };
}
