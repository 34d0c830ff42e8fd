/** Calendar arithmetic on ISO dates (YYYY-MM-DD, UTC) for the analytics routes: the buckets they list are those of the views (migrations/004: weeks start on Monday). */

export type Interval = 'day' | 'week' | 'month';

const dayMs = 86_400_000;

const parse = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const format = (date: Date) => date.toISOString().slice(0, 10);

export function bucketStart(iso: string, interval: Interval): string {
  const date = parse(iso);
  if (interval === 'week') return format(new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * dayMs));
  if (interval === 'month') return `${iso.slice(0, 7)}-01`;
  return iso;
}

export function addPeriods(iso: string, interval: Interval, count: number): string {
  const date = parse(iso);
  if (interval === 'month') return format(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + count, date.getUTCDate())));
  return format(new Date(date.getTime() + count * (interval === 'week' ? 7 : 1) * dayMs));
}

/** The start of every bucket that overlaps [from, to], in order. */
export function bucketStarts(from: string, to: string, interval: Interval): string[] {
  const starts: string[] = [];
  for (let start = bucketStart(from, interval); start <= to; start = addPeriods(start, interval, 1)) starts.push(start);
  return starts;
}

/** Whole months from the month of `from` to the month of `to` (0 when the same month). */
export function monthsBetween(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
}

/** A ratio for a JSON answer: 4 decimals, 0 when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : Math.round((numerator / denominator) * 10_000) / 10_000;
}
