import type { SqlStatement } from './projection';

type Escape = (value: string) => string;

/**
 * Turns parameterised statements into one multi-statement text with the values as escaped
 * literals (pg's own `escapeLiteral`), so a batch of projection statements costs one round trip
 * instead of one each. Statement texts are ours; only values come from events, and every value is
 * escaped or is a finite number, boolean or null.
 */
export function inlineStatements(statements: SqlStatement[], escapeLiteral: Escape): string {
  return statements.map((statement) => statement.text.replace(/\$(\d+)/g, (_, index: string) =>
    literal(statement.values[Number(index) - 1], escapeLiteral))).join(';\n');
}

function literal(value: unknown, escapeLiteral: Escape): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot inline ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return escapeLiteral(value);
  throw new Error(`Cannot inline a ${typeof value}: serialise it first`);
}

const statementsPerRoundTrip = 200;

/** Runs statements in order, many per round trip, on a client inside the caller's transaction. */
export async function runStatements(
  client: { query: (text: string) => Promise<unknown>; escapeLiteral: Escape }, statements: SqlStatement[],
) {
  for (let start = 0; start < statements.length; start += statementsPerRoundTrip) {
    await client.query(inlineStatements(statements.slice(start, start + statementsPerRoundTrip), (v) => client.escapeLiteral(v)));
  }
}
