import type { NewEvent } from './port';

/** New events as the column arrays the append statements unnest, in the events' order. */
export function toColumns(events: NewEvent[]) {
  return [
    events.map((e) => e.eventId),
    events.map((e) => e.tenantId),
    events.map((e) => e.type),
    events.map((e) => e.schemaVersion),
    events.map((e) => JSON.stringify(e.data)),
    events.map((e) => JSON.stringify(metadataOf(e))),
    events.map((e) => e.occurredAt),
  ];
}

export function metadataOf(event: NewEvent) {
  const { actor, correlationId, causationId, idempotencyKey } = event;
  return idempotencyKey === undefined ? { actor, correlationId, causationId } : { actor, correlationId, causationId, idempotencyKey };
}

/** 'any' → null (no check), 'no-stream' → -1 (the head of a stream without events). */
export const toExpectedRevision = (expected: number | 'no-stream' | 'any') =>
  expected === 'any' ? null : expected === 'no-stream' ? -1 : expected;

export const toActualRevision = (head: number) => (head === -1 ? 'no-stream' as const : head);

export function isUniqueViolation(error: unknown, constraint?: string) {
  const { code, constraint: violated } = error as { code?: string; constraint?: string };
  return code === '23505' && (constraint === undefined || violated === constraint);
}
