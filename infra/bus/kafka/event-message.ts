import type { EventEnvelope } from '../../event-store/port';

export type EventMessage = { key: string; value: string; headers: Record<string, string> };

/**
 * An event on Kafka: keyed by stream id (so a stream's events stay in one partition, in order),
 * the whole envelope as JSON, and tenant, type and position as headers for routing and filtering
 * without parsing the value.
 */
export function toEventMessage(event: EventEnvelope): EventMessage {
  return {
    key: event.streamId,
    value: JSON.stringify(event),
    headers: { tenantId: event.tenantId, type: event.type, position: String(event.position) },
  };
}

export function fromEventMessage(value: Buffer | string | null): EventEnvelope {
  if (value === null) throw new Error('Empty Kafka message');
  return JSON.parse(value.toString()) as EventEnvelope;
}
