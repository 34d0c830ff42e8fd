import type { SqlStatement } from './projection';

/**
 * The batch's statements in their order, except the commutative ones, which are combined per key
 * into one statement each and run last (see SqlStatement.commutative).
 */
export function coalesceCommutative(statements: SqlStatement[]): SqlStatement[] {
  const ordered: SqlStatement[] = [];
  const groups = new Map<string, { combine: (rows: unknown[][]) => SqlStatement; rows: unknown[][] }>();
  for (const statement of statements) {
    if (!statement.commutative) {
      ordered.push(statement);
      continue;
    }
    const group = groups.get(statement.commutative.key) ?? { combine: statement.commutative.combine, rows: [] };
    group.rows.push(statement.values);
    groups.set(statement.commutative.key, group);
  }
  for (const { combine, rows } of groups.values()) ordered.push(combine(rows));
  return ordered;
}

/**
 * A PostgreSQL array literal (`{"a","b"}`) of text values, to pass a column of values as one
 * parameter (`$1::uuid[]`) to a combined statement. Elements are quoted and escaped.
 */
export function arrayLiteral(values: string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
