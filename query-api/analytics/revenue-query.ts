import type { AnalyticsStore } from '../../infra/analytics/port';
import { mrrMovements, revenueRatios, type MemberMonthMrr } from './mrr-movements';
import { bucketStarts } from './periods';

/**
 * Each member's MRR at the end of each month in which it changed, up to the month of `to`: the
 * last subscription fact of the month (by time, then stream revision) wins. Duplicated facts
 * (a redelivered batch) pick the same value.
 */
export async function readMonthlyMrrChanges(store: AnalyticsStore, tenantId: string, to: string): Promise<MemberMonthMrr[]> {
  const rows = await store.query<{ member_id: string; month: string; mrr: string; peak: string; currency: string }>(`
    SELECT member_id, formatDateTime(toStartOfMonth(occurred_at), '%Y-%m') AS month,
           argMax(monthly_amount_cents, (occurred_at, revision)) AS mrr, max(monthly_amount_cents) AS peak,
           argMaxIf(currency, (occurred_at, revision), currency != '') AS currency
    FROM subscription_facts
    WHERE tenant_id = {tenant:UUID} AND occurred_at < addMonths(toStartOfMonth({to:Date}), 1)
    GROUP BY member_id, month`, { tenant: tenantId, to });
  return rows.map((row) => ({ memberId: row.member_id, month: row.month, mrrCents: Number(row.mrr), currency: row.currency, peakCents: Number(row.peak) }));
}

/** The currency most of the tenant's subscription facts are in, if it has any. */
export async function readMainCurrency(store: AnalyticsStore, tenantId: string): Promise<string | undefined> {
  const rows = await store.query<{ currency: string }>(`
    SELECT currency FROM subscription_facts WHERE tenant_id = {tenant:UUID} AND currency != ''
    GROUP BY currency ORDER BY count() DESC, currency LIMIT 1`, { tenant: tenantId });
  return rows[0]?.currency;
}

/**
 * Revenue of the months of [from, to] in `currency`: MRR and its movements, net MRR churn and quick
 * ratio. A null currency (a tenant without any) gives zeros.
 */
export async function readRevenue(store: AnalyticsStore, request: { tenantId: string; from: string; to: string; currency: string | null }) {
  const changes = await readMonthlyMrrChanges(store, request.tenantId, request.to);
  const months = bucketStarts(request.from, request.to, 'month').map((start) => start.slice(0, 7));
  const { months: movements, startingMrrCents } = mrrMovements(request.currency ? changes : [], months, request.currency ?? '');
  return { currency: request.currency, months: movements, ...revenueRatios(movements, startingMrrCents) };
}

