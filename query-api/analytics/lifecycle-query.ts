import type { AnalyticsStore } from '../../infra/analytics/port';
import { bucketSql, bucketStarts, type Interval } from './periods';

/**
 * Lifecycle of active members per bucket of [from, to] (DESIGN.md §7), from activity alone:
 * - new: first activity ever in this bucket;
 * - returning: active in this bucket and the one before;
 * - resurrecting: active in this bucket, not in the one before, but in some earlier one;
 * - dormant: active in the bucket before, not in this one.
 * new + returning + resurrecting = active members of the bucket.
 */
export async function readLifecycle(store: AnalyticsStore, request: { tenantId: string; from: string; to: string; interval: Interval }) {
  const sql = bucketSql[request.interval];
  const rows = await store.query<{ period: string; new: string; returning: string; resurrecting: string; dormant: string }>(`
    SELECT t AS period,
      countIf(has(buckets, t) AND t = first) AS new,
      countIf(has(buckets, t) AND has(buckets, ${sql.previous('t')})) AS returning,
      countIf(has(buckets, t) AND NOT has(buckets, ${sql.previous('t')}) AND t > first) AS resurrecting,
      countIf(NOT has(buckets, t) AND has(buckets, ${sql.previous('t')})) AS dormant
    FROM (SELECT member_id, groupUniqArray(${sql.start('day')}) AS buckets, min(${sql.start('day')}) AS first
          FROM member_activity_daily WHERE tenant_id = {tenant:UUID} AND day <= {to:Date} GROUP BY member_id)
    ARRAY JOIN arrayDistinct(arrayConcat(buckets, arrayMap(b -> ${sql.next('b')}, buckets))) AS t
    WHERE t >= ${sql.start('{from:Date}')} AND t <= {to:Date}
    GROUP BY t ORDER BY t`, { tenant: request.tenantId, from: request.from, to: request.to });
  const byPeriod = new Map(rows.map((row) => [row.period, row]));
  return bucketStarts(request.from, request.to, request.interval).map((period) => {
    const row = byPeriod.get(period);
    return {
      period,
      new: Number(row?.new ?? 0), returning: Number(row?.returning ?? 0),
      resurrecting: Number(row?.resurrecting ?? 0), dormant: Number(row?.dormant ?? 0),
    };
  });
}
