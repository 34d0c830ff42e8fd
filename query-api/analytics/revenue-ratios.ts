/**
 * The ratios of DESIGN.md §7 over MRR movements already summed (by the ClickHouse view
 * monthly_mrr_movements, infra/analytics/migrations/003-mrr-movements.sql): pure arithmetic.
 * - net MRR churn = (churn + contraction - expansion - reactivation) / MRR at the start
 *   (negative: the paying base grew on its own);
 * - quick ratio = (new + expansion + reactivation) / (churn + contraction).
 * Each is null where its denominator is 0; 4 decimals.
 */
export type MovementSums = {
  newCents: number; expansionCents: number; contractionCents: number; churnCents: number; reactivationCents: number;
};

export function revenueRatios(movements: MovementSums, startingMrrCents: number) {
  const lost = movements.churnCents + movements.contractionCents;
  const regained = movements.expansionCents + movements.reactivationCents;
  return {
    netMrrChurn: startingMrrCents === 0 ? null : round((lost - regained) / startingMrrCents),
    quickRatio: lost === 0 ? null : round((movements.newCents + regained) / lost),
  };
}

/** The movements of several months added up (the whole window). */
export function sumMovements(months: MovementSums[]): MovementSums {
  const sum = (pick: (m: MovementSums) => number) => months.reduce((total, m) => total + pick(m), 0);
  return {
    newCents: sum((m) => m.newCents), expansionCents: sum((m) => m.expansionCents),
    contractionCents: sum((m) => m.contractionCents), churnCents: sum((m) => m.churnCents),
    reactivationCents: sum((m) => m.reactivationCents),
  };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
