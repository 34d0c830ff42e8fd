import type { Pool } from 'pg';
import type { EventStore } from '../../infra/event-store/port';
import { applyCheckpointedBatch, readCheckpoint } from './checkpointed-batch';
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
  const batchSize = options.batchSize ?? 500;
  const idleMs = options.idleMs ?? 20;
  let running = true;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

  const loop = (async () => {
    let checkpoint = await readCheckpoint(pool, projection.name);
    while (running) {
      try {
        const events = await store.readAll(checkpoint, { limit: batchSize });
        if (events.length > 0) {
          checkpoint = await applyCheckpointedBatch(pool, projection, events);
          options.onApplied?.(checkpoint);
        }
        if (events.length < batchSize) await sleep(idleMs);
      } catch (error) {
        options.onError?.(error);
        await sleep(1000);
        checkpoint = await readCheckpoint(pool, projection.name).catch(() => checkpoint);
      }
    }
  })();

  return {
    nudge: () => wake?.(),
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}

export type LogTail = ReturnType<typeof startLogTail>;
