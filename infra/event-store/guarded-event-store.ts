import type { EventDefinition } from '../../domain/shared/event';
import type { EventEnvelope, EventStore, NewEvent } from './port';
import { tenantOfStream } from './stream-name';

export class EventSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventSchemaError';
  }
}

/**
 * Wraps any event store adapter with the rules that do not depend on the engine: every event's
 * payload is validated by its type's zod schema on write and on read, and an event's tenant must
 * be the tenant its stream belongs to.
 */
export function guardEventStore(inner: EventStore, definitions: Record<string, EventDefinition>): EventStore {
  const checked = (event: NewEvent | EventEnvelope, streamId: string) => {
    const definition = definitions[event.type];
    if (!definition) throw new EventSchemaError(`Unknown event type ${event.type}`);
    if (event.schemaVersion !== definition.schemaVersion) {
      throw new EventSchemaError(`${event.type} v${event.schemaVersion} has no upcaster to v${definition.schemaVersion}`);
    }
    const parsed = definition.schema.safeParse(event.data);
    if (!parsed.success) throw new EventSchemaError(`${event.type} in ${streamId}: ${parsed.error.message}`);
    const owner = tenantOfStream(streamId);
    if (owner !== null && owner !== event.tenantId) {
      throw new EventSchemaError(`Event of tenant ${event.tenantId} cannot go to stream ${streamId}`);
    }
    return { ...event, data: parsed.data };
  };
  return {
    append: (streamId, events, expected) =>
      inner.append(streamId, events.map((event) => checked(event, streamId)), expected),
    readStream: async (streamId) => (await inner.readStream(streamId)).map((event) => checked(event, streamId) as EventEnvelope),
    readAll: async (after, options) =>
      (await inner.readAll(after, options)).map((event) => checked(event, event.streamId) as EventEnvelope),
    existingStreams: (ids) => inner.existingStreams(ids),
    headPosition: () => inner.headPosition(),
  };
}
