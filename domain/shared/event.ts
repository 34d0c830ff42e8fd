import type { z } from 'zod';

/** What `decide` returns: the type and payload of an event. The envelope is added by the caller. */
export type DomainEvent<Type extends string = string, Data = unknown> = { type: Type; data: Data };

/**
 * A persisted event type: its current schema version, the zod schema of its payload, and for each
 * older version n an upcaster from n to n + 1, applied on read so that stored events never change.
 */
export type EventDefinition = {
  schemaVersion: number;
  schema: z.ZodType;
  upcasters?: Record<number, (data: unknown) => unknown>;
};

export const assertNever = (value: never): never => {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
};
