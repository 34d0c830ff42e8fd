import type { EventEnvelope } from '../../infra/event-store/port';

/** One parameterised SQL statement. Projections return these instead of running them: pure. */
export type SqlStatement = {
  text: string;
  values: unknown[];
  /**
   * Set on a statement whose effect does not depend on its order among the others of a batch (an
   * upsert with greatest(), on a table no other statement touches). The applier runs all such
   * statements of one `key` in a batch as the one statement `combine` builds from their values,
   * after the others: one statement instead of thousands.
   */
  commutative?: { key: string; combine: (rows: unknown[][]) => SqlStatement };
};

/** A read model's projection: what to change for an event (often nothing). Never throws for business reasons. */
export type Projection = { name: string; project: (event: EventEnvelope) => SqlStatement[] };

/** The subset of pg's client the runtime uses. */
export type Queryable = { query: (text: string, values?: unknown[]) => Promise<{ rows: any[] }> };
