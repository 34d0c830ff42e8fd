import type { AnalyticsStore } from '../../infra/analytics/port';
import { bucketStarts, ratio, type Interval } from './periods';

export type EngagementRequest = { tenantId: string; from: string; to: string; interval: Interval };

/**
 * Engagement over [from, to] (whole UTC days): active members and activities per bucket, the
 * segments of the tenant's members over the window, DAU/WAU/MAU as of `to` and stickiness
 * (DAU / MAU), and the lifecycle of active members per bucket (lifecycle-query.ts). The figures
 * are defined once, by the ClickHouse views activity_series, engagement_segments and
 * trailing_active_members (infra/analytics/migrations/004-one-definition-views.sql).
 */
export async function readEngagement(store: AnalyticsStore, request: EngagementRequest) {
  const params = { tenant: request.tenantId, from: request.from, to: request.to, bucket: request.interval };
  const [series, segments, trailing] = await Promise.all([
    store.query<{ period: string; active_members: string; activities: string }>(`
      SELECT period, active_members, activities
      FROM activity_series(bucket = {bucket:String}, from = {from:Date}, to = {to:Date})
      WHERE tenant_id = {tenant:UUID} ORDER BY period`, params),
    store.query<{ segment: string; members: string }>(`
      SELECT segment, members FROM engagement_segments(from = {from:Date}, to = {to:Date})
      WHERE tenant_id = {tenant:UUID}`, params),
    store.query<{ dau: string; wau: string; mau: string }>(`
      SELECT dau, wau, mau FROM trailing_active_members(day = {to:Date}) WHERE tenant_id = {tenant:UUID}`, params),
  ]);
  const byPeriod = new Map(series.map((row) => [row.period, row]));
  const bySegment = new Map(segments.map((row) => [row.segment, Number(row.members)]));
  const [dau, wau, mau] = [trailing[0]?.dau, trailing[0]?.wau, trailing[0]?.mau].map((n) => Number(n ?? 0)) as [number, number, number];
  return {
    interval: request.interval,
    series: bucketStarts(request.from, request.to, request.interval).map((period) => ({
      period,
      activeMembers: Number(byPeriod.get(period)?.active_members ?? 0),
      activities: Number(byPeriod.get(period)?.activities ?? 0),
    })),
    segments: {
      highlyActive: bySegment.get('highly_active') ?? 0,
      moderatelyActive: bySegment.get('moderately_active') ?? 0,
      lowActivity: bySegment.get('low_activity') ?? 0,
    },
    dau, wau, mau,
    stickiness: ratio(dau, mau),
  };
}
