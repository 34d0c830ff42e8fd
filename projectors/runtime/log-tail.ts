import type { Pool } from 'pg';
import type { EventStore } from '../../infra/event-store/port';
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
export function startLogTail(store: EventStore, pool: Pool, projection: Projection, options: LogTailOptions = {}) {
  return followLog({
    store, pool, checkpointName: projection.name, batchSize: options.batchSize, idleMs: options.idleMs, onError: options.onError,
    handle: async (events) => {
      const checkpoint = await applyCheckpointedBatch(pool, projection, events);
      options.onApplied?.(checkpoint);
      return checkpoint;
    },
  });
}

export type LogTail = ReturnType<typeof startLogTail>;
