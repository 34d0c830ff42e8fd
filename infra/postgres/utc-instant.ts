/*
 * On the busy reads (member rows, the event store's reads, the idempotency reservation) instants
 * leave PostgreSQL as UTC text in the ISO DateStyle ('2026-12-04 18:24:18.123456') and take the
 * API's form (Date#toISOString: 'T', milliseconds, 'Z') here, by slicing. Formatting them in
 * PostgreSQL with to_char cost a member page of 50 about a third of the server's time (pgbench, as
 * the query role: 5,700–6,650 pages/s against 7,900–9,100 with this); parsing each into a Date and
 * formatting it again (what pg does for a timestamptz column) costs Node more than the slicing.
 * Reads of a few rows (a tenant, its membership types) may keep pg's Date and toISOString.
 */

/** The SQL of an instant (timestamptz) column as UTC text, for isoInstantOfUtcText. */
export const utcInstantSql = (column: string) => `((${column}) AT TIME ZONE 'UTC')::text`;

/**
 * '2026-12-04 18:24:18.123456' (or with fewer fraction digits, or none) as
 * '2026-12-04T18:24:18.123Z': milliseconds truncated, as to_char's MS and Date#toISOString do.
 * Anything else (a server whose DateStyle is not ISO, a year past 9999) throws.
 */
export function isoInstantOfUtcText(text: string): string {
  const shaped = text.length >= 19 && text.length <= 26 && text[4] === '-' && text[10] === ' ' && text[13] === ':'
    && (text.length === 19 || (text[19] === '.' && /^\d+$/.test(text.slice(20))));
  if (!shaped) throw new Error(`not a UTC instant in the ISO DateStyle: ${text}`);
  const milliseconds = text.length === 19 ? '000' : text.slice(20, 23).padEnd(3, '0');
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${milliseconds}Z`;
}
