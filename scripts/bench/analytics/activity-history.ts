import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { EventStore, NewEvent } from '../../../infra/event-store/port';
import { tenantStreamId } from '../../../infra/event-store/stream-name';
import { forEachConcurrently } from '../../load/http-client';

/**
 * A year of one tenant's history, appended straight to the event store: `activities` activity
 * events from `members` members who joined over the year (so cohorts differ in size and age),
 * recorded in batches of 500 as the API's bulk endpoint does. Returns the events appended and the members.
 */
export async function appendActivityHistory(store: EventStore, tenantId: string, members: number, activities: number, onProgress?: (n: number) => void) {
  const yearStart = Date.UTC(2025, 0, 1);
  const day = 86_400_000;
  const event = (type: string, occurredAt: string, data: unknown): NewEvent => ({
    eventId: uuidv7(), type, schemaVersion: 1, tenantId, occurredAt,
    actor: { system: 'bench' }, correlationId: randomUUID(), causationId: randomUUID(), data,
  });
  const joined = Array.from({ length: members }, (_, n) => ({ memberId: uuidv7(), joinedDay: Math.floor((n / members) * 360) }));
  await forEachConcurrently(joined, 16, async ({ memberId, joinedDay }, n) => {
    const at = new Date(yearStart + joinedDay * day).toISOString();
    await store.append(tenantStreamId('member', tenantId, memberId), [event('MemberRegistered', at,
      { memberId, email: `history-${memberId}@example.org`, firstName: 'History', lastName: `${n}`, membershipTypeId: null, status: 'active' })], 'no-stream');
  });
  let appended = 0;
  const batches = Array.from({ length: Math.ceil(activities / 500) }, (_, b) => b);
  await forEachConcurrently(batches, 8, async (b) => {
    const size = Math.min(500, activities - b * 500);
    const items = Array.from({ length: size }, (_, i) => {
      // Members are active on and after joining, the later ones less often: a realistic decay.
      const member = joined[((b * 500 + i) * 7919) % members]!;
      const activeDay = member.joinedDay + (((b * 500 + i) * 104_729) % Math.max(1, 365 - member.joinedDay));
      const at = new Date(yearStart + activeDay * day + (i % 86_400) * 1000).toISOString();
      return event('ActivityRecorded', at, { memberId: member.memberId, activityType: 'login', occurredAt: at });
    });
    await store.append(tenantStreamId('activity', tenantId, uuidv7()), items, 'no-stream');
    appended += size;
    onProgress?.(appended);
  });
  return { events: members + activities, members: joined };
}
