import type { Pool } from 'pg';
import type { AnalyticsStore } from '../../infra/analytics/port';
import type { EventEnvelope, EventStore } from '../../infra/event-store/port';
import { applyAnalyticsBatch, type AnalyticsProjection } from './analytics-batch';
import { applyCheckpointedBatch } from './checkpointed-batch';
import { followLog } from './log-follower';
import type { Projection } from './projection';

export type LogTailOptions = {
  batchSize?: number;
  /** How long to wait when the log has nothing new. */
  idleMs?: number;
  onError?: (error: unknown) => void;
  onApplied?: (position: number) => void;
};

/**
 * Embedded mode's bus: follows the event store's global log from the projection's checkpoint and
 * applies it in batches. `nudge()` (called after an append in the same process) cuts the idle wait.
 */
function startTail(store: EventStore, pool: Pool, name: string, apply: (events: EventEnvelope[]) => Promise<number>, options: LogTailOptions) {
  return followLog({
    store, pool, checkpointName: name, batchSize: options.batchSize, idleMs: options.idleMs, onError: options.onError,
    handle: async (events) => {
      const checkpoint = await apply(events);
      options.onApplied?.(checkpoint);
      return checkpoint;
    },
  });
}

/** PostgreSQL read models, each batch in one transaction with its checkpoint. */
export function startLogTail(store: EventStore, pool: Pool, projection: Projection, options: LogTailOptions = {}) {
  return startTail(store, pool, projection.name, (events) => applyCheckpointedBatch(pool, projection, events), options);
}

/** ClickHouse tables, checkpointed in PostgreSQL after each batch is written (see analytics-batch.ts). */
export function startAnalyticsLogTail(store: EventStore, pool: Pool, analytics: AnalyticsStore, projection: AnalyticsProjection, options: LogTailOptions = {}) {
  return startTail(store, pool, projection.name, (events) => applyAnalyticsBatch(analytics, pool, projection, events), { batchSize: 5000, ...options });
}

export type LogTail = ReturnType<typeof startLogTail>;
