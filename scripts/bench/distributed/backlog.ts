import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { EventStore, NewEvent } from '../../../infra/event-store/port';
import { tenantStreamId } from '../../../infra/event-store/stream-name';
import { forEachConcurrently } from '../../load/http-client';

/**
 * Appends about `events` events straight to the event store (the command path is measured
 * elsewhere): per member, a registration, a suspension, a reactivation and a detail change, then
 * activity batches of 50 for those members, the mix the read models see in life.
 */
export async function appendBacklog(store: EventStore, tenantId: string, events: number) {
  const members = Math.ceil(events / 10);
  const memberIds = Array.from({ length: members }, () => uuidv7());
  const event = (type: string, data: unknown): NewEvent => ({
    eventId: uuidv7(), type, schemaVersion: 1, tenantId, occurredAt: new Date().toISOString(),
    actor: { system: 'bench' }, correlationId: randomUUID(), causationId: randomUUID(), data,
  });
  await forEachConcurrently(memberIds, 16, async (memberId, n) => {
    await store.append(tenantStreamId('member', tenantId, memberId), [
      event('MemberRegistered', { memberId, email: `backlog-${memberId}@example.org`, firstName: 'Back', lastName: `Log ${n}`, membershipTypeId: null, status: 'active' }),
      event('MemberSuspended', { reason: 'bench' }),
      event('MemberReactivated', {}),
      event('MemberDetailsChanged', { lastName: `Logged ${n}` }),
    ], 'no-stream');
  });
  const activities = events - members * 4;
  const batches = Array.from({ length: Math.ceil(activities / 50) }, (_, b) => b);
  await forEachConcurrently(batches, 16, async (b) => {
    const size = Math.min(50, activities - b * 50);
    await store.append(tenantStreamId('activity', tenantId, uuidv7()), Array.from({ length: size }, (_, i) => event('ActivityRecorded', {
      memberId: memberIds[(b * 50 + i) % members]!, activityType: 'login', occurredAt: new Date().toISOString(),
    })), 'no-stream');
  });
  return members * 4 + activities;
}
