import type { AnalyticsStore } from '../../infra/analytics/port';
import { bucketSql, bucketStarts, ratio, type Interval } from './periods';

export type EngagementRequest = { tenantId: string; from: string; to: string; interval: Interval };

/** Segments over the window (DESIGN.md §7): by the number of activities of each member. */
export const segmentThresholds = { highlyActive: 20, moderatelyActive: 5 } as const;

/**
 * Engagement over [from, to] (whole UTC days): active members and activities per bucket, the
 * segments of the tenant's members over the window, DAU/WAU/MAU as of `to` and stickiness
 * (DAU / MAU), and the lifecycle of active members per bucket (lifecycle-query.ts).
 */
export async function readEngagement(store: AnalyticsStore, request: EngagementRequest) {
  const params = { tenant: request.tenantId, from: request.from, to: request.to };
  const bucket = bucketSql[request.interval].start('day');
  const [series, segments, trailing] = await Promise.all([
    // Activities of a bucket: the distinct event ids of its days' states merged into one set.
    store.query<{ period: string; active_members: string; activities: string }>(`
      SELECT ${bucket} AS period, uniqExact(member_id) AS active_members, uniqExactMerge(activities) AS activities
      FROM member_activity_daily
      WHERE tenant_id = {tenant:UUID} AND day BETWEEN {from:Date} AND {to:Date}
      GROUP BY period ORDER BY period`, params),
    store.query<{ highly: string; moderately: string; low: string }>(`
      SELECT countIf(n >= ${segmentThresholds.highlyActive}) AS highly,
             countIf(n >= ${segmentThresholds.moderatelyActive} AND n < ${segmentThresholds.highlyActive}) AS moderately,
             countIf(n < ${segmentThresholds.moderatelyActive}) AS low
      FROM (SELECT member_id FROM member_facts
            WHERE tenant_id = {tenant:UUID} AND event_type = 'MemberRegistered' AND toDate(occurred_at) <= {to:Date}
            GROUP BY member_id) AS members
      -- Counted on the facts, FINAL collapsing any duplicate: cheaper than merging daily states.
      LEFT JOIN (SELECT member_id, count() AS n FROM activity_facts FINAL
                 WHERE tenant_id = {tenant:UUID} AND toDate(occurred_at) BETWEEN {from:Date} AND {to:Date} GROUP BY member_id) AS counts
      USING member_id`, params),
    store.query<{ dau: string; wau: string; mau: string }>(`
      SELECT uniqExactIf(member_id, day = {to:Date}) AS dau, uniqExactIf(member_id, day > {to:Date} - 7) AS wau,
             uniqExact(member_id) AS mau
      FROM member_activity_daily WHERE tenant_id = {tenant:UUID} AND day > {to:Date} - 30 AND day <= {to:Date}`, params),
  ]);
  const byPeriod = new Map(series.map((row) => [row.period, row]));
  const { dau, wau, mau } = trailing[0]!;
  return {
    interval: request.interval,
    series: bucketStarts(request.from, request.to, request.interval).map((period) => ({
      period,
      activeMembers: Number(byPeriod.get(period)?.active_members ?? 0),
      activities: Number(byPeriod.get(period)?.activities ?? 0),
    })),
    segments: {
      highlyActive: Number(segments[0]!.highly), moderatelyActive: Number(segments[0]!.moderately), lowActivity: Number(segments[0]!.low),
    },
    dau: Number(dau), wau: Number(wau), mau: Number(mau),
    stickiness: ratio(Number(dau), Number(mau)),
  };
}
