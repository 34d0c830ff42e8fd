import type { EventEnvelope } from '../../infra/event-store/port';

/** One parameterised SQL statement. Projections return these instead of running them: pure. */
export type SqlStatement = { text: string; values: unknown[] };

/**
 * A row for a statement that a batch runs once for all its rows: an insert of new rows, or an
 * upsert whose result does not depend on the order of its rows (greatest(), DO NOTHING). The
 * applier gathers the batch's rows per `kind.key` and runs `kind.build(rows)` once, before the
 * other statements (`place: 'first'`: inserts that later statements of the same entity update)
 * or after them (`'last'`: on a table no other statement touches). One statement for a batch's
 * thousand activities instead of a thousand: statements, not rows, are what PostgreSQL pays for.
 */
export type BatchedRow = { kind: BatchedKind; row: Record<string, unknown> };
export type BatchedKind = { key: string; place: 'first' | 'last'; build: (rows: Record<string, unknown>[]) => SqlStatement };

/** What a projection asks for one event: statements, run in order, and batched rows. */
export type ProjectedChange = SqlStatement | BatchedRow;

/** A read model's projection: what to change for an event (often nothing). Never throws for business reasons. */
export type Projection = { name: string; project: (event: EventEnvelope) => ProjectedChange[] };

/** The subset of pg's client the runtime uses. */
export type Queryable = { query: (text: string, values?: unknown[]) => Promise<{ rows: any[] }> };
