import type { Pool } from 'pg';
import { analyticsProjection, readModelProjection } from '../../query-api/read-model-progress';

/**
 * Waits until every projection has applied the log's head (embedded: the read models and the
 * analytics, in projection_checkpoints), so that what one phase wrote is not still being
 * projected, at the cost of the next phase's figures. Returns the seconds it took: how long the
 * projections trail a burst, itself worth reporting.
 */
export async function untilProjectionsCatchUp(pool: Pick<Pool, 'query'>, timeoutMs = 120_000) {
  const started = Date.now();
  for (;;) {
    const { rows: [row] } = await pool.query(`SELECT (SELECT coalesce(max(position), 0) FROM events) AS head,
      (SELECT coalesce(min(position), 0) FROM projection_checkpoints WHERE projection = ANY($1)) AS applied`, [[readModelProjection, analyticsProjection]]);
    if (Number(row.applied) >= Number(row.head)) return (Date.now() - started) / 1000;
    if (Date.now() - started > timeoutMs) throw new Error(`the projections did not catch up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
