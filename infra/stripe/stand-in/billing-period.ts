/**
 * Calendar arithmetic for billing periods, in UTC as Stripe bills.
 * Periods are counted from the billing-cycle anchor, not chained end to end: an anchor on Jan 31
 * renews Feb 28 (clamped), then Mar 31, because Stripe keeps the anchor's day when the month has it.
 */
export type BillingInterval = 'month' | 'year';

/** The end of period number `count` (1 = the first period) after `anchor`, in unix seconds. */
export function periodBoundary(anchor: number, interval: BillingInterval, count: number): number {
  const start = new Date(anchor * 1000);
  const months = interval === 'year' ? 12 * count : count;
  const targetMonth = start.getUTCMonth() + months;
  const year = start.getUTCFullYear() + Math.floor(targetMonth / 12);
  const month = ((targetMonth % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(start.getUTCDate(), lastDay);
  const end = Date.UTC(year, month, day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds());
  return Math.floor(end / 1000);
}
