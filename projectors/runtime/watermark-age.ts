import type { Pool } from 'pg';
import { watermarkSql } from '../../infra/event-store/log-positions';
import { metricFamily } from '../../infra/metrics/prometheus-text';

export type WatermarkAge = { holderSeconds: number; heldBackSeconds: number };

/**
 * How far the global log's watermark (see infra/event-store/log-positions.ts) is held back.
 * - holderSeconds: age of the oldest transaction on the server that holds a transaction id (any
 *   database, prepared transactions included): until it ends, no reader passes its id. Another
 *   role's start time is only visible with pg_read_all_stats; without it those count as 0.
 * - heldBackSeconds: age of the oldest committed event readers cannot read yet (above the
 *   watermark): what the hold costs every projection and the publisher right now.
 */
export async function measureWatermarkAge(pool: Pick<Pool, 'query'>): Promise<WatermarkAge> {
  const { rows } = await pool.query(`
    SELECT coalesce(extract(epoch FROM now() - least(
             (SELECT min(xact_start) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()),
             (SELECT min(prepared) FROM pg_prepared_xacts))), 0)::float8 AS holder,
           coalesce((SELECT extract(epoch FROM now() - min(recorded_at)) FROM events
             WHERE position >= ${watermarkSql}), 0)::float8 AS held_back`);
  return { holderSeconds: Math.max(0, Number(rows[0].holder)), heldBackSeconds: Math.max(0, Number(rows[0].held_back)) };
}

/** The two figures as Prometheus text, for the /metrics of every role that reads the log. */
export async function watermarkMetrics(pool: Pick<Pool, 'query'>): Promise<string> {
  const age = await measureWatermarkAge(pool);
  return metricFamily('event_log_watermark_age_seconds', 'gauge',
    'Age of the oldest transaction holding a transaction id on the server: it holds back every reader of the log', [{ value: age.holderSeconds }])
    + metricFamily('event_log_held_back_seconds', 'gauge',
      'Age of the oldest committed event readers cannot read yet (above the watermark)', [{ value: age.heldBackSeconds }]);
}
