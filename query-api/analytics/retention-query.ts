import type { AnalyticsStore } from '../../infra/analytics/port';
import { monthsBetween, ratio } from './periods';

export type RetentionMode = 'on' | 'on_or_after';

/**
 * Monthly cohort retention (DESIGN.md §7). A cohort is the members who joined in a month of
 * [from, to]; period N is the N-th month after it (0: the joining month), up to the month of `to`.
 * `on`: a member counts in period N if active in month N; `on_or_after`: if active in month N or
 * any later month up to `to`. Activity after `to` is not looked at. Defined once, by the
 * ClickHouse views cohort_sizes and cohort_retention (migrations/002 and 004).
 */
export async function readRetention(store: AnalyticsStore, request: { tenantId: string; from: string; to: string; mode: RetentionMode }) {
  const params = { tenant: request.tenantId, from: request.from, to: request.to };
  const inWindow = 'tenant_id = {tenant:UUID} AND cohort BETWEEN toStartOfMonth({from:Date}) AND toStartOfMonth({to:Date})';
  const [sizes, retained] = await Promise.all([
    store.query<{ label: string; size: string }>(`
      SELECT formatDateTime(cohort, '%Y-%m') AS label, members AS size FROM cohort_sizes WHERE ${inWindow} ORDER BY cohort`, params),
    store.query<{ label: string; period: string; retained_on: string; retained_on_or_after: string }>(`
      SELECT formatDateTime(cohort, '%Y-%m') AS label, period, retained_on, retained_on_or_after
      FROM cohort_retention(to = {to:Date}) WHERE ${inWindow}`, params),
  ]);
  const lastMonth = request.to.slice(0, 7);
  return {
    period: 'month' as const,
    mode: request.mode,
    cohorts: sizes.map(({ label: cohort, size }) => {
      const counts = new Array<number>(monthsBetween(`${cohort}-01`, `${lastMonth}-01`) + 1).fill(0);
      for (const row of retained.filter((r) => r.label === cohort)) {
        counts[Number(row.period)] = Number(request.mode === 'on' ? row.retained_on : row.retained_on_or_after);
      }
      return { cohort, size: Number(size), retained: counts, rates: counts.map((count) => ratio(count, Number(size))) };
    }),
  };
}
