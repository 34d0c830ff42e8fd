/**
 * MRR movements (DESIGN.md §7), from each member's MRR at the end of each month in one currency.
 * Comparing a member's MRR at the end of a month with the end of the month before:
 * - new: from 0 to > 0, never paid before;   - reactivation: from 0 to > 0, paid in an earlier month;
 * - expansion: up (both > 0), the increase;  - contraction: down (both > 0), the decrease;
 * - churn: from > 0 to 0, what was lost.
 * So mrr(m) = mrr(m-1) + new + expansion + reactivation - contraction - churn. Integers only.
 */
export type MemberMonthMrr = {
  memberId: string; month: string; mrrCents: number; currency: string;
  /** The highest MRR at any moment of the month: a member who paid and cancelled within one month has paid before. */
  peakCents: number;
};

export type MonthMovements = {
  month: string; mrrCents: number; newCents: number; expansionCents: number;
  contractionCents: number; churnCents: number; reactivationCents: number;
};

/**
 * `changes`: for each member, its MRR and currency at the end of each month in which it changed
 * (a cancellation's currency may be '': it is the currency the member paid in before), in any
 * order. `months`: the months to report ('YYYY-MM', ascending). A member's MRR counts in `currency`
 * only while it pays in that currency.
 */
export function mrrMovements(changes: MemberMonthMrr[], months: string[], currency: string) {
  const result: MonthMovements[] = months.map((month) => ({
    month, mrrCents: 0, newCents: 0, expansionCents: 0, contractionCents: 0, churnCents: 0, reactivationCents: 0,
  }));
  let startingMrrCents = 0;
  const byMember = new Map<string, MemberMonthMrr[]>();
  for (const change of changes) byMember.set(change.memberId, [...(byMember.get(change.memberId) ?? []), change]);
  for (const history of byMember.values()) {
    history.sort((a, b) => a.month.localeCompare(b.month));
    let index = 0;
    let mrr = 0;
    let paidBefore = false;
    let paying = '';
    const advanceTo = (month: string) => {
      for (; index < history.length && history[index]!.month <= month; index++) {
        const change = history[index]!;
        if (change.currency) paying = change.currency;
        mrr = paying === currency ? change.mrrCents : 0;
        // Seen by the months after this one (paidBeforeMonth is taken before advancing).
        if (change.peakCents > 0) paidBefore = true;
      }
    };
    advanceTo(previousMonth(months[0]!));
    startingMrrCents += mrr;
    for (const movement of result) {
      const before = mrr;
      const paidBeforeMonth = paidBefore || before > 0;
      advanceTo(movement.month);
      movement.mrrCents += mrr;
      if (before === 0 && mrr > 0) {
        if (paidBeforeMonth) movement.reactivationCents += mrr;
        else movement.newCents += mrr;
      } else if (before > 0 && mrr === 0) movement.churnCents += before;
      else if (mrr > before) movement.expansionCents += mrr - before;
      else if (mrr < before) movement.contractionCents += before - mrr;
    }
  }
  return { months: result, startingMrrCents };
}

/**
 * Over the months reported: net MRR churn = (churn + contraction - expansion) / MRR at the start
 * (negative: the base grew on its own); quick ratio = (new + expansion + reactivation) /
 * (churn + contraction). Each is null where its denominator is 0.
 */
export function revenueRatios(months: MonthMovements[], startingMrrCents: number) {
  const sum = (pick: (m: MonthMovements) => number) => months.reduce((total, m) => total + pick(m), 0);
  const lost = sum((m) => m.churnCents + m.contractionCents);
  const gained = sum((m) => m.newCents + m.expansionCents + m.reactivationCents);
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  return {
    netMrrChurn: startingMrrCents === 0 ? null : round((lost - sum((m) => m.expansionCents)) / startingMrrCents),
    quickRatio: lost === 0 ? null : round(gained / lost),
  };
}

export function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}
