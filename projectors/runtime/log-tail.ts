import type { Pool } from 'pg';
import type { AnalyticsStore } from '../../infra/analytics/port';
import type { EventEnvelope, EventStore } from '../../infra/event-store/port';
import { applyAnalyticsBatch, type AnalyticsProjection } from './analytics-batch';
import { applyCheckpointedBatch } from './checkpointed-batch';
import { replayIntoAnalytics, replayIntoReadModel, startDeadLetterReplays, type ReplayOne } from './dead-letter-replay';
import { deadLetterMetrics, eventLogSource, recordDeadLetter, type DeadLetterSource } from './dead-letters';
import { checkedEvent } from './decode-event';
import { followLog } from './log-follower';
import type { PartitionMessage } from './partition-batch';
import { applyOrIsolate } from './poison-isolation';
import type { Projection } from './projection';
import { watermarkMetrics } from './watermark-age';

export type LogTailOptions = {
  batchSize?: number;
  /** How long to wait when the log has nothing new. */
  idleMs?: number;
  /** How often dead letters whose replay was asked for are looked for. */
  replayIntervalMs?: number;
  onError?: (error: unknown) => void;
  /** After each committed batch: the checkpoint, and the stored events the batch held (dead letters too). */
  onApplied?: (position: number, events: readonly EventEnvelope[]) => void;
};

/** Applies the events of a batch (in log order) and moves the checkpoint to at least `through`. */
type ApplyBatch = (events: EventEnvelope[], through: number) => Promise<number>;

/**
 * Embedded mode's bus: follows the event store's global log from the projection's checkpoint and
 * applies it in batches. `nudge()` (called after an append in the same process) cuts the idle wait.
 * Poison events get Kafka's treatment (poison-isolation.ts): an event that is not valid, or whose
 * projection fails twice, is kept in projection_dead_letters and passed over, so it stalls neither
 * this projection nor the others; its replay is asked for with `npm run rebuild -- --target
 * dead-letters`. Give it the store without the read guard: it checks each event itself, so that
 * one bad stored event is set aside instead of failing every read of its batch.
 */
function startTail(store: EventStore, pool: Pool, projection: string, apply: ApplyBatch, replay: ReplayOne, options: LogTailOptions) {
  const source: DeadLetterSource = { projection, source: eventLogSource };
  const counters = { deadLettered: 0 };
  const deadLetter = async (stored: EventEnvelope, reason: string) => {
    await recordDeadLetter(pool, { ...source, partition: 0, sourceOffset: stored.position, payload: JSON.stringify(stored), reason });
    counters.deadLettered += 1;
  };
  const follower = followLog({
    store, pool, checkpointName: projection, batchSize: options.batchSize, idleMs: options.idleMs, onError: options.onError,
    handle: async (log) => {
      const messages: PartitionMessage[] = [];
      for (const stored of log) {
        const decoded = checkedEvent(stored);
        if ('reason' in decoded) await deadLetter(stored, decoded.reason);
        messages.push({ offset: String(stored.position), event: 'reason' in decoded ? null : decoded.event });
      }
      const checkpoint = await applyOrIsolate(messages, (part) => apply(
        part.flatMap((message) => (message.event ? [message.event] : [])), Number(part.at(-1)!.offset),
      ), async (index, error) => {
        await deadLetter(log[index]!, `projection failed twice: ${(error as Error).message}`);
      }, options.onError);
      options.onApplied?.(checkpoint, log);
      return checkpoint;
    },
  });
  const replays = startDeadLetterReplays(pool, source, replay, { intervalMs: options.replayIntervalMs, onError: options.onError });
  return {
    counters,
    source,
    nudge: follower.nudge,
    async stop() {
      await follower.stop();
      await replays.stop();
    },
  };
}

/** PostgreSQL read models, each batch in one transaction with its checkpoint. */
export function startLogTail(store: EventStore, pool: Pool, projection: Projection, options: LogTailOptions = {}) {
  return startTail(store, pool, projection.name, (events, through) => applyCheckpointedBatch(pool, projection, events, through),
    replayIntoReadModel(pool, projection), options);
}

/** ClickHouse tables, checkpointed in PostgreSQL after each batch is written (see analytics-batch.ts). */
export function startAnalyticsLogTail(store: EventStore, pool: Pool, analytics: AnalyticsStore, projection: AnalyticsProjection, options: LogTailOptions = {}) {
  return startTail(store, pool, projection.name, (events, through) => applyAnalyticsBatch(analytics, pool, projection, events, through),
    replayIntoAnalytics(analytics, pool, projection), { batchSize: 5000, ...options });
}

export type LogTail = ReturnType<typeof startLogTail>;

/** The tails' dead letters and the log's watermark, for the embedded process's /metrics. */
export async function logTailMetrics(pool: Pick<Pool, 'query'>, tails: Pick<LogTail, 'source'>[]) {
  return (await deadLetterMetrics(pool, tails.map((tail) => tail.source))) + await watermarkMetrics(pool);
}
