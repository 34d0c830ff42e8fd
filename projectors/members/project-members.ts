import type { EventEnvelope } from '../../infra/event-store/port';
import { entityIdOfStream } from '../../infra/event-store/stream-name';
import type { ProjectedChange, SqlStatement } from '../runtime/projection';
import { latestActivities, registrations, statusChanges } from './member-batches';
import { memberChange } from './member-changes';
import { subscriptionChangeOf } from './project-subscription';

const statusAfter: Record<string, string> = {
  MemberActivated: 'active', MemberReactivated: 'active', MemberSuspended: 'suspended', MemberDeactivated: 'inactive',
};

/**
 * Members list and detail (rm_members). Each group of columns (status, details, subscription)
 * keeps the stream revision that last set it, and an event changes its group only where that is
 * older: a replayed event changes nothing twice, and groups apply independently (migration 007).
 * Every event that changes a member also feeds the live updates (member-changes.ts).
 */
export function projectMembers(event: EventEnvelope): ProjectedChange[] {
  const data = event.data as Record<string, any>;
  const memberId = entityIdOfStream(event.streamId);
  const update = (group: 'details' | 'subscription', set: string, values: unknown[]): SqlStatement[] => [{
    text: `UPDATE rm_members SET ${set}, ${group}_revision = $4,
             updated_at = greatest(updated_at, $3::timestamptz), revision = greatest(revision, $4)
           WHERE tenant_id = $1 AND member_id = $2 AND ${group}_revision < $4`,
    values: [event.tenantId, memberId, event.occurredAt, event.streamRevision, ...values],
  }];
  switch (event.type) {
    case 'MemberRegistered':
      return [{ kind: registrations, row: {
        tenant_id: event.tenantId, member_id: data.memberId, email: data.email, first_name: data.firstName,
        last_name: data.lastName, status: data.status, membership_type_id: data.membershipTypeId ?? null,
        created_at: event.occurredAt, revision: event.streamRevision,
      } }, memberChange(event, data.memberId, data.status)];
    case 'MemberDetailsChanged':
      return [...update('details',
        `email = coalesce($5, email), first_name = coalesce($6, first_name), last_name = coalesce($7, last_name),
         membership_type_id = CASE WHEN $8::boolean THEN $9::uuid ELSE membership_type_id END`,
        [data.email ?? null, data.firstName ?? null, data.lastName ?? null, 'membershipTypeId' in data, data.membershipTypeId ?? null]),
        memberChange(event, memberId, null)];
    case 'MemberActivated':
    case 'MemberReactivated':
    case 'MemberSuspended':
    case 'MemberDeactivated':
      return [{ kind: statusChanges, row: {
        tenant_id: event.tenantId, member_id: memberId, status: statusAfter[event.type], revision: event.streamRevision, occurred_at: event.occurredAt,
      } }, memberChange(event, memberId, statusAfter[event.type]!)];
    case 'ActivityRecorded':
      return [{ kind: latestActivities, row: { tenant_id: event.tenantId, member_id: data.memberId, occurred_at: data.occurredAt } }];
    default: {
      const subscription = subscriptionChangeOf(event);
      return subscription ? [...update('subscription', subscription.set, subscription.values), memberChange(event, memberId, null)] : [];
    }
  }
}
