/**
 * Calendar arithmetic on ISO instants. Pure: the instant comes from the command, never a clock.
 * Adding a month clamps to the end of a shorter month (Jan 31 + 1 month = Feb 28/29).
 */
export function addMonthsUtc(isoInstant: string, months: number): string {
  const start = new Date(isoInstant);
  const day = start.getUTCDate();
  const target = new Date(start.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDayOfTargetMonth = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDayOfTargetMonth));
  return target.toISOString();
}

export const isAtOrAfter = (a: string, b: string) => Date.parse(a) >= Date.parse(b);
export const millisecondsBetween = (from: string, to: string) => Date.parse(to) - Date.parse(from);

/** A Stripe timestamp (unix seconds) as the ISO-8601 UTC instant our events carry. */
export const isoFromUnixSeconds = (seconds: number) => new Date(seconds * 1000).toISOString();
