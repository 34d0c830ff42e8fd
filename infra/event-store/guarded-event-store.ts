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
 * payload is validated by its type's zod schema on write and on read (older versions upcast
 * first), and an event's tenant must be the tenant its stream belongs to.
 */
export function guardEventStore(inner: EventStore, definitions: Record<string, EventDefinition>): EventStore {
  const checked = (stored: NewEvent | EventEnvelope, streamId: string, direction: 'write' | 'read') =>
    checkEvent(definitions, stored, streamId, direction);
  return {
    append: async (streamId, events, expected) =>
      inner.append(streamId, events.map((event) => checked(event, streamId, 'write')), expected),
    readStream: async (streamId) => (await inner.readStream(streamId)).map((event) => checked(event, streamId, 'read') as EventEnvelope),
    readAll: async (after, options) =>
      (await inner.readAll(after, options)).map((event) => checked(event, event.streamId, 'read') as EventEnvelope),
    existingStreams: (ids) => inner.existingStreams(ids),
    headPosition: () => inner.headPosition(),
  };
}

/** Brings a stored event to the current schema version, one upcaster at a time. */
function upcast<E extends NewEvent | EventEnvelope>(event: E, definition: EventDefinition): E {
  // Almost every stored event is current: no copy for those (a rebuild reads millions).
  if (event.schemaVersion === definition.schemaVersion) return event;
  let { data, schemaVersion } = event;
  while (schemaVersion < definition.schemaVersion) {
    const step = definition.upcasters?.[schemaVersion];
    if (!step) throw new EventSchemaError(`${event.type} v${schemaVersion} has no upcaster to v${schemaVersion + 1}`);
    data = step(data);
    schemaVersion += 1;
  }
  if (schemaVersion !== definition.schemaVersion) {
    throw new EventSchemaError(`${event.type} v${schemaVersion} is newer than this code (v${definition.schemaVersion})`);
  }
  return { ...event, data, schemaVersion };
}

/**
 * The engine-independent rules for one event: known type, current version on write (older ones
 * upcast on read), payload valid against its schema, tenant owning the stream. Also used where
 * events arrive by another way than the store (Kafka).
 */
export function checkEvent<E extends NewEvent | EventEnvelope>(
  definitions: Record<string, EventDefinition>, stored: E, streamId: string, direction: 'write' | 'read',
): E {
  const definition = definitions[stored.type];
  if (!definition) throw new EventSchemaError(`Unknown event type ${stored.type}`);
  if (direction === 'write' && stored.schemaVersion !== definition.schemaVersion) {
    throw new EventSchemaError(`${stored.type} is written as v${definition.schemaVersion}, not v${stored.schemaVersion}`);
  }
  const event = direction === 'read' ? upcast(stored, definition) : stored;
  const parsed = definition.schema.safeParse(event.data);
  if (!parsed.success) throw new EventSchemaError(`${event.type} in ${streamId}: ${parsed.error.message}`);
  const owner = tenantOfStream(streamId);
  if (owner !== null && owner !== event.tenantId) {
    throw new EventSchemaError(`Event of tenant ${event.tenantId} cannot go to stream ${streamId}`);
  }
  return { ...event, data: parsed.data };
}
