import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope } from '../../infra/event-store/port';

/**
 * A tenant's event log built by hand for the analytics definition tests: `append` stamps each
 * event with its stream revision and log position, as the store would, at 10:00 UTC of its day.
 */
export function fixtureLog(tenantId: string) {
  let position = 0;
  const revisions = new Map<string, number>();
  const events: EventEnvelope[] = [];
  const append = (streamId: string, type: string, day: string, data: unknown) => {
    const streamRevision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, streamRevision + 1);
    events.push({
      eventId: uuidv7(), type, schemaVersion: 1, streamId, streamRevision, position: ++position, tenantId,
      occurredAt: `${day}T10:00:00.000Z`, recordedAt: `${day}T10:00:00.000Z`, actor: { system: 'test' },
      correlationId: uuidv7(), causationId: uuidv7(), data,
    });
  };
  return { events, append };
}
