import type { Pool } from 'pg';
import type { EventEnvelope, EventStore } from '../../infra/event-store/port';
import { readCheckpoint } from './checkpointed-batch';

export type LogFollowerOptions = {
  store: EventStore;
  pool: Pool;
  /** The checkpoint row this follower resumes from (projection_checkpoints.projection). */
  checkpointName: string;
  /** Handles a batch read after the checkpoint and returns the new checkpoint. */
  handle: (events: EventEnvelope[]) => Promise<number>;
  batchSize?: number;
  /** How long to wait when the log has nothing new. */
  idleMs?: number;
  onError?: (error: unknown) => void;
};

/**
 * Follows the event store's global log from a stored checkpoint, batch by batch: the loop shared by
 * the embedded projection tail and the Kafka publisher. After a failure it waits a second and
 * resumes from the stored checkpoint. `nudge()` cuts an idle wait short.
 */
export function followLog(options: LogFollowerOptions) {
  const batchSize = options.batchSize ?? 500;
  let running = true;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

  // Every failure, the first read of the checkpoint included (the database may be down at start),
  // is reported and retried: the loop's promise never rejects, so nothing goes unhandled.
  const loop = (async () => {
    let checkpoint: number | undefined;
    while (running) {
      try {
        checkpoint ??= await readCheckpoint(options.pool, options.checkpointName);
        const events = await options.store.readAll(checkpoint, { limit: batchSize });
        if (events.length > 0) checkpoint = await options.handle(events);
        if (events.length < batchSize) await sleep(options.idleMs ?? 20);
      } catch (error) {
        options.onError?.(error);
        await sleep(1000);
        // Resume from what was stored, not from what this process last believed.
        checkpoint = undefined;
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
