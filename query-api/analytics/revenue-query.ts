import type { AnalyticsStore } from '../../infra/analytics/port';
import { bucketStarts } from './periods';
import { revenueRatios, sumMovements, type MovementSums } from './revenue-ratios';

type MonthRow = MovementSums & { month: string; mrrCents: number };

/**
 * The tenant's months with an MRR movement in `currency`, up to the month of `to`, as the view
 * monthly_mrr_movements (infra/analytics/migrations/003-mrr-movements.sql) defines them: the
 * movements are recorded per change there, not re-derived here.
 */
async function readMovementMonths(store: AnalyticsStore, tenantId: string, to: string, currency: string): Promise<MonthRow[]> {
  const rows = await store.query<Record<string, string | number>>(`
    SELECT formatDateTime(month, '%Y-%m') AS label, mrr_cents, new_cents, expansion_cents, contraction_cents, churn_cents, reactivation_cents
    FROM monthly_mrr_movements
    WHERE tenant_id = {tenant:UUID} AND currency = {currency:String} AND month <= toStartOfMonth({to:Date})
    ORDER BY month`, { tenant: tenantId, currency, to });
  return rows.map((row) => ({
    month: String(row.label), mrrCents: Number(row.mrr_cents), newCents: Number(row.new_cents),
    expansionCents: Number(row.expansion_cents), contractionCents: Number(row.contraction_cents),
    churnCents: Number(row.churn_cents), reactivationCents: Number(row.reactivation_cents),
  }));
}

/** The currency most of the tenant's subscription facts are in, if it has any. */
export async function readMainCurrency(store: AnalyticsStore, tenantId: string): Promise<string | undefined> {
  const rows = await store.query<{ currency: string }>(`
    SELECT currency FROM subscription_facts WHERE tenant_id = {tenant:UUID} AND currency != ''
    GROUP BY currency ORDER BY count() DESC, currency LIMIT 1`, { tenant: tenantId });
  return rows[0]?.currency;
}

const noMovement: MovementSums = { newCents: 0, expansionCents: 0, contractionCents: 0, churnCents: 0, reactivationCents: 0 };

/**
 * Revenue of the months of [from, to] in `currency`: MRR at each month's end, its movements, and
 * per month and over the window net MRR churn and quick ratio (DESIGN.md §7). A month without a
 * movement keeps the MRR of the month before. The window's net MRR churn is over MRR at the
 * window's start (the end of the month before `from`). A null currency (a tenant without any) gives zeros.
 */
export async function readRevenue(store: AnalyticsStore, request: { tenantId: string; from: string; to: string; currency: string | null }) {
  const rows = request.currency ? await readMovementMonths(store, request.tenantId, request.to, request.currency) : [];
  const byMonth = new Map(rows.map((row) => [row.month, row]));
  const firstMonth = request.from.slice(0, 7);
  const startingMrrCents = rows.filter((row) => row.month < firstMonth).at(-1)?.mrrCents ?? 0;
  let mrrCents = startingMrrCents;
  const months = bucketStarts(request.from, request.to, 'month').map((start) => {
    const month = start.slice(0, 7);
    const row = byMonth.get(month);
    const sums = row ? pickSums(row) : noMovement;
    const startOfMonthCents = mrrCents;
    mrrCents = row?.mrrCents ?? mrrCents;
    return { month, mrrCents, ...sums, ...revenueRatios(sums, startOfMonthCents) };
  });
  return { currency: request.currency, months, ...revenueRatios(sumMovements(months), startingMrrCents) };
}

function pickSums({ newCents, expansionCents, contractionCents, churnCents, reactivationCents }: MovementSums): MovementSums {
  return { newCents, expansionCents, contractionCents, churnCents, reactivationCents };
}

/** MRR in `currency` at the end of the day `day` (UTC): every movement of mrr_movements up to it. */
export async function readMrrAt(store: AnalyticsStore, request: { tenantId: string; day: string; currency: string }): Promise<number> {
  const [row] = await store.query<{ mrr_cents: string | number }>(`
    SELECT sum(delta_cents) AS mrr_cents FROM mrr_movements
    WHERE tenant_id = {tenant:UUID} AND currency = {currency:String} AND occurred_at < toDateTime64({day:Date} + 1, 3, 'UTC')`,
  { tenant: request.tenantId, currency: request.currency, day: request.day });
  return Number(row?.mrr_cents ?? 0);
}
