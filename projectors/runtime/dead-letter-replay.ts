import type { Pool } from 'pg';
import type { AnalyticsStore } from '../../infra/analytics/port';
import type { EventEnvelope } from '../../infra/event-store/port';
import { advanceTenantVersions, changedTenants, insertAnalyticsRows, type AnalyticsProjection } from './analytics-batch';
import { statementsOfBatch } from './batched-rows';
import type { DeadLetterSource } from './dead-letters';
import { decodeEvent } from './decode-event';
import { inlineStatements, projectionTransactionOpening, runStatementsThenFinish } from './inline-statements';
import type { Projection } from './projection';
import { isTransientError } from './transient-errors';

/** Applies one dead letter's event to the projection and marks the letter replayed, at most once. */
export type ReplayOne = (id: number, event: EventEnvelope) => Promise<void>;

const markReplayedSql = `UPDATE projection_dead_letters
  SET replayed_at = now(), replay_requested_at = NULL, replay_attempts = replay_attempts + 1 WHERE id = $1 AND replayed_at IS NULL`;

/** A read model: the change and the mark in one transaction, the letter locked, so it applies once. */
export const replayIntoReadModel = (pool: Pool, projection: Projection): ReplayOne => async (id, event) => {
  const client = await pool.connect();
  try {
    const opened = await client.query(inlineStatements([
      ...projectionTransactionOpening,
      { text: 'SELECT id FROM projection_dead_letters WHERE id = $1 AND replayed_at IS NULL FOR UPDATE', values: [id] },
    ], (value) => client.escapeLiteral(value)));
    if ((opened as unknown as { rows: unknown[] }[]).at(-1)!.rows.length === 0) {
      await client.query('ROLLBACK');
      return;
    }
    await runStatementsThenFinish(client, statementsOfBatch(projection.project(event)), [
      { text: markReplayedSql, values: [id] }, { text: 'COMMIT', values: [] },
    ]);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
};

/** ClickHouse: rows first, then the mark, as batches do; the tables count a row written twice once. */
export const replayIntoAnalytics = (store: AnalyticsStore, pool: Pick<Pool, 'query'>, projection: AnalyticsProjection): ReplayOne =>
  async (id, event) => {
    await insertAnalyticsRows(store, [event], projection);
    await advanceTenantVersions(pool, changedTenants([event], projection));
    await pool.query(markReplayedSql, [id]);
  };

/**
 * Applies the dead letters of `source` whose replay was asked for, oldest first. One that fails
 * again keeps its row with the new reason, and its request is dropped: asking again retries it.
 * Transient failures are thrown, the request kept. Returns how many were replayed.
 */
export async function replayRequested(pool: Pick<Pool, 'query'>, source: DeadLetterSource, replay: ReplayOne): Promise<number> {
  const { rows } = await pool.query(
    `SELECT id, payload FROM projection_dead_letters WHERE projection = $1 AND source = $2
     AND replay_requested_at IS NOT NULL AND replayed_at IS NULL ORDER BY id LIMIT 100`, [source.projection, source.source]);
  let replayed = 0;
  for (const { id, payload } of rows) {
    const decoded = decodeEvent(payload);
    try {
      if ('reason' in decoded) throw new Error(decoded.reason);
      await replay(Number(id), decoded.event);
      replayed += 1;
    } catch (error) {
      if (isTransientError(error)) throw error;
      await pool.query(
        `UPDATE projection_dead_letters SET replay_requested_at = NULL, replay_attempts = replay_attempts + 1,
         reason = $2 WHERE id = $1`, [id, `replay failed: ${(error as Error).message}`.slice(0, 2000)]);
    }
  }
  return replayed;
}

/** Looks for replay requests every `intervalMs` until stopped; errors go to `onError`, never unhandled. */
export function startDeadLetterReplays(pool: Pick<Pool, 'query'>, source: DeadLetterSource, replay: ReplayOne,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = replayRequested(pool, source, replay).then(() => undefined, (error) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs ?? 1_000);
      });
  };
  timer = setTimeout(tick, options.intervalMs ?? 1_000);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
