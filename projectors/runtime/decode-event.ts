import { eventDefinitions } from '../../domain/event-definitions';
import { fromEventMessage } from '../../infra/bus/kafka/event-message';
import { checkEvent } from '../../infra/event-store/guarded-event-store';
import type { EventEnvelope } from '../../infra/event-store/port';

export type Decoded = { event: EventEnvelope } | { reason: string };

/**
 * An event as a projection receives it, checked as the store checks what it reads (known type,
 * upcast, valid payload, tenant of its stream), or the reason it is not one. Every source (the
 * embedded tail, Kafka, a dead letter's replay) checks this way, so they dead-letter the same events.
 */
export function checkedEvent(stored: EventEnvelope): Decoded {
  try {
    return { event: checkEvent(eventDefinitions, stored, String(stored.streamId), 'read') };
  } catch (error) {
    return { reason: `not a valid event: ${(error as Error).message}` };
  }
}

/** The same for a message's text: the envelope as JSON (a Kafka value, a dead letter's payload). */
export function decodeEvent(value: Buffer | string | null): Decoded {
  try {
    return checkedEvent(fromEventMessage(value));
  } catch (error) {
    return { reason: `not a valid event: ${(error as Error).message}` };
  }
}
