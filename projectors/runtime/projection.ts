import type { EventEnvelope } from '../../infra/event-store/port';

/** One parameterised SQL statement. Projections return these instead of running them: pure. */
export type SqlStatement = { text: string; values: unknown[] };

/** A read model's projection: what to change for an event (often nothing). Never throws for business reasons. */
export type Projection = { name: string; project: (event: EventEnvelope) => SqlStatement[] };

/** The subset of pg's client the runtime uses. */
export type Queryable = { query: (text: string, values?: unknown[]) => Promise<{ rows: any[] }> };
