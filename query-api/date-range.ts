import { z } from 'zod';
import { validationProblem } from '../infra/http/problem';

/** An ISO calendar date (YYYY-MM-DD) that exists, within what ClickHouse's Date holds. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date, YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'not a calendar date')
  .refine((value) => value >= '1970-01-01' && value <= '2148-12-31', 'a date from 1970 to 2148');

/** The longest range an analytics request may cover: beyond it a day series is unreadable anyway. */
export const maxRangeDays = 1830;

/** A query schema with optional `from` and `to` (inclusive UTC days) beside the route's own fields. */
export function dateRangeQuery<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object({ from: isoDate.optional(), to: isoDate.optional(), ...shape });
}

/**
 * The range asked for, with defaults relative to today: `to` today, `from` `defaultDays - 1` days
 * before `to`. `from` after `to`, or `to` more than `maxDaysAfterFrom` days after `from` (five
 * years by default), is a 400 naming the field the caller sent.
 */
export function resolveRange(
  query: { from?: string; to?: string }, today: string, defaultDays: number, maxDaysAfterFrom = maxRangeDays,
) {
  const to = query.to ?? today;
  const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (defaultDays - 1) * 86_400_000).toISOString().slice(0, 10);
  if (from > to) throw rangeProblem('from', '`from` is after `to`');
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > maxDaysAfterFrom) {
    throw rangeProblem(query.to === undefined ? 'from' : 'to', `the range may cover at most ${maxDaysAfterFrom + 1} days`);
  }
  return { from, to };
}

/** Today's date (UTC) by the API's clock. */
export const todayOf = (now: () => string) => now().slice(0, 10);

const rangeProblem = (path: string, message: string) => validationProblem([{ path, message }]);
