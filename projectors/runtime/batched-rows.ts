import type { BatchedKind, ProjectedChange, SqlStatement } from './projection';

/**
 * A batch's changes as the statements to run: first the batched rows placed first (one statement
 * per kind), then the plain statements in event order, then the batched rows placed last.
 */
export function statementsOfBatch(changes: ProjectedChange[]): SqlStatement[] {
  const ordered: SqlStatement[] = [];
  const batches = new Map<string, { kind: BatchedKind; rows: Record<string, unknown>[] }>();
  for (const change of changes) {
    if (!('kind' in change)) {
      ordered.push(change);
      continue;
    }
    const batch = batches.get(change.kind.key) ?? { kind: change.kind, rows: [] };
    batch.rows.push(change.row);
    batches.set(change.kind.key, batch);
  }
  const built = (place: 'first' | 'last') =>
    [...batches.values()].filter(({ kind }) => kind.place === place).map(({ kind, rows }) => kind.build(rows));
  return [...built('first'), ...ordered, ...built('last')];
}

/**
 * `FROM (… jsonb_to_recordset($1::jsonb) …) AS alias`: how a built statement reads its rows, passed
 * as one JSON parameter, so that any number of rows costs one value and nulls need no care.
 *
 * The LIMIT is the row count, and tells it to the planner, which otherwise assumes 100 rows of any
 * set-returning function: against 100 index probes a sequential scan of a table of up to some
 * 20,000 members looked cheaper, so a batch of five events joining rm_members on its key read the
 * whole table (a few ms of a backend per batch, most of the projector's database CPU under load).
 */
export function rowsAsRecordset(rows: Record<string, unknown>[], alias: string, columns: string) {
  return {
    from: `(SELECT * FROM jsonb_to_recordset($1::jsonb) AS ${alias} (${columns}) LIMIT ${rows.length}) AS ${alias}`,
    values: [JSON.stringify(rows)],
  };
}
