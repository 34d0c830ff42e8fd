import type { AnalyticsStore } from '../../infra/analytics/port';
import { ratio } from './periods';
import { readMrrAt } from './revenue-query';

/**
 * The tenant at a glance, as of `today` (UTC): members ever registered, members active this
 * calendar month, MRR at the end of `today` in `currency` (null: the tenant has none, MRR 0), and month-over-month
 * retention: the share of last month's active members who are active this month (0 when nobody
 * was active last month).
 */
export async function readOverview(store: AnalyticsStore, request: { tenantId: string; today: string; currency: string | null }) {
  const params = { tenant: request.tenantId, today: request.today };
  const { currency } = request;
  const [members, activity] = await Promise.all([
    store.query<{ total: string }>(`SELECT uniqExact(member_id) AS total FROM member_facts
      WHERE tenant_id = {tenant:UUID} AND event_type = 'MemberRegistered' AND toDate(occurred_at) <= {today:Date}`, params),
    store.query<{ this_month: string; last_month: string; kept: string }>(`
      SELECT countIf(in_this) AS this_month, countIf(in_last) AS last_month, countIf(in_this AND in_last) AS kept
      FROM (SELECT member_id, max(day >= toStartOfMonth({today:Date})) AS in_this, max(day < toStartOfMonth({today:Date})) AS in_last
            FROM member_activity_daily
            WHERE tenant_id = {tenant:UUID} AND day >= addMonths(toStartOfMonth({today:Date}), -1) AND day <= {today:Date}
            GROUP BY member_id)`, params),
  ]);
  const mrr = currency ? await readMrrAt(store, { tenantId: request.tenantId, day: request.today, currency }) : 0;
  const { this_month: activeThisMonth, last_month: activeLastMonth, kept } = activity[0]!;
  return {
    totalMembers: Number(members[0]!.total),
    activeThisMonth: Number(activeThisMonth),
    monthlyRevenueCents: mrr,
    currency,
    retentionRate: ratio(Number(kept), Number(activeLastMonth)),
  };
}
