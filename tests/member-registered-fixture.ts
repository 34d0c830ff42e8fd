import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope } from '../infra/event-store/port';
import { tenantStreamId } from '../infra/event-store/stream-name';

/** A stored MemberRegistered event of `tenantId` at `position`, for tests that feed a projector directly. */
export function memberRegisteredAt(tenantId: string, position: number, lastName: string): EventEnvelope {
  const memberId = uuidv7();
  return {
    eventId: uuidv7(), type: 'MemberRegistered', schemaVersion: 1, streamId: tenantStreamId('member', tenantId, memberId),
    streamRevision: 0, position, tenantId, occurredAt: '2026-05-01T10:00:00.000Z', recordedAt: '2026-05-01T10:00:00.000Z',
    actor: { system: 'test' }, correlationId: 'c', causationId: 'c',
    data: { memberId, email: `${lastName}@example.org`, firstName: 'F', lastName, membershipTypeId: null, status: 'active' },
  };
}
