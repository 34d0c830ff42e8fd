import type { z } from 'zod';

/** What `decide` returns: the type and payload of an event. The envelope is added by the caller. */
export type DomainEvent<Type extends string = string, Data = unknown> = { type: Type; data: Data };

/** A persisted event type: its current schema version and the zod schema of its payload. */
export type EventDefinition = { schemaVersion: number; schema: z.ZodType };

export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};
