import type { AnalyticsStore } from '../../infra/analytics/port';
import { bucketStart, bucketStarts, type Interval } from './periods';

/**
 * Lifecycle of active members per bucket of [from, to] (DESIGN.md §7), from activity alone:
 * - new: first activity ever in this bucket;
 * - returning: active in this bucket and the one before;
 * - resurrecting: active in this bucket, not in the one before, but in some earlier one;
 * - dormant: active in the bucket before, not in this one.
 * new + returning + resurrecting = active members of the bucket. Defined once, by the ClickHouse
 * view activity_lifecycle (infra/analytics/migrations/004-one-definition-views.sql).
 */
export async function readLifecycle(store: AnalyticsStore, request: { tenantId: string; from: string; to: string; interval: Interval }) {
  const rows = await store.query<{ period: string; new: string; returning: string; resurrecting: string; dormant: string }>(`
    SELECT period, new, returning, resurrecting, dormant
    FROM activity_lifecycle(bucket = {bucket:String}, to = {to:Date})
    WHERE tenant_id = {tenant:UUID} AND period >= {first:Date} AND period <= {to:Date}`,
  { tenant: request.tenantId, bucket: request.interval, to: request.to, first: bucketStart(request.from, request.interval) });
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
