import type { SqlStatement } from './projection';

type Escape = (value: string) => string;

/** The subset of pg's client a batch transaction needs. */
export type InlineClient = { query: (text: string) => Promise<unknown>; escapeLiteral: Escape };

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

/**
 * Runs `statements` in order, many per round trip, then `finish` (the checkpoint update and the
 * COMMIT) in the last round trip: a small batch costs one round trip after the opening one.
 */
export async function runStatementsThenFinish(client: InlineClient, statements: SqlStatement[], finish: SqlStatement[]) {
  const inline = (part: SqlStatement[]) => inlineStatements(part, (value) => client.escapeLiteral(value));
  let start = 0;
  for (; start + statementsPerRoundTrip < statements.length; start += statementsPerRoundTrip) {
    await client.query(inline(statements.slice(start, start + statementsPerRoundTrip)));
  }
  await client.query(inline([...statements.slice(start), ...finish]));
}

/**
 * The opening of a projection's batch transaction. Commits do not wait for the WAL flush
 * (synchronous_commit off): a crash may lose the last few applied batches, but each batch commits
 * with its checkpoint atomically, so what is lost is lost together and applied again, and the
 * exactly-once effect holds. The events themselves are durable in the event store, which keeps
 * its synchronous commits. Waiting for the flush would cost each batch a disk sync while it holds
 * the projection's write lock.
 */
export const projectionTransactionOpening: SqlStatement[] = [
  { text: 'BEGIN', values: [] },
  { text: 'SET LOCAL synchronous_commit = off', values: [] },
];
