import type { AnalyticsStore } from '../../infra/analytics/port';
import { monthsBetween, ratio } from './periods';

export type RetentionMode = 'on' | 'on_or_after';

/**
 * Monthly cohort retention (DESIGN.md §7). A cohort is the members who joined in a month of
 * [from, to]; period N is the N-th month after it (0: the joining month), up to the month of `to`.
 * `on`: a member counts in period N if active in month N; `on_or_after`: if active in month N or
 * any later month up to `to`. Activity after `to` is not looked at.
 */
export async function readRetention(store: AnalyticsStore, request: { tenantId: string; from: string; to: string; mode: RetentionMode }) {
  const params = { tenant: request.tenantId, from: request.from, to: request.to };
  const cohorts = `
    SELECT member_id, toStartOfMonth(min(occurred_at)) AS cohort FROM member_facts
    WHERE tenant_id = {tenant:UUID} AND event_type = 'MemberRegistered'
    GROUP BY member_id HAVING cohort BETWEEN toStartOfMonth({from:Date}) AND toStartOfMonth({to:Date})`;
  const activeMonths = `
    SELECT DISTINCT member_id, toStartOfMonth(day) AS month FROM member_activity_daily
    WHERE tenant_id = {tenant:UUID} AND day >= toStartOfMonth({from:Date}) AND day <= {to:Date}`;
  const [sizes, retained] = await Promise.all([
    store.query<{ cohort: string; size: string }>(`SELECT cohort, count() AS size FROM (${cohorts}) GROUP BY cohort ORDER BY cohort`, params),
    request.mode === 'on'
      ? store.query<{ cohort: string; n: string; members: string }>(`
          SELECT c.cohort AS cohort, dateDiff('month', c.cohort, a.month) AS n, count() AS members
          FROM (${cohorts}) AS c INNER JOIN (${activeMonths}) AS a USING member_id
          WHERE a.month >= c.cohort GROUP BY cohort, n`, params)
      // on_or_after: a member counts in every period up to the last one it was active in.
      : store.query<{ cohort: string; n: string; members: string }>(`
          SELECT cohort, last_n AS n, count() AS members FROM (
            SELECT c.cohort AS cohort, c.member_id, dateDiff('month', c.cohort, max(a.month)) AS last_n
            FROM (${cohorts}) AS c INNER JOIN (${activeMonths}) AS a USING member_id
            WHERE a.month >= c.cohort GROUP BY cohort, c.member_id)
          GROUP BY cohort, n`, params),
  ]);
  const lastMonth = request.to.slice(0, 7);
  return {
    period: 'month' as const,
    mode: request.mode,
    cohorts: sizes.map(({ cohort, size }) => {
      const periods = monthsBetween(cohort, `${lastMonth}-01`) + 1;
      const counts = new Array<number>(periods).fill(0);
      for (const row of retained.filter((r) => r.cohort === cohort)) {
        const n = Number(row.n);
        if (request.mode === 'on') counts[n] = Number(row.members);
        else for (let i = 0; i <= n; i++) counts[i]! += Number(row.members);
      }
      return {
        cohort: cohort.slice(0, 7),
        size: Number(size),
        retained: counts,
        rates: counts.map((count) => ratio(count, Number(size))),
      };
    }),
  };
}
