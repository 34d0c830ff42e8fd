import type { EventEnvelope } from '../../infra/event-store/port';
import { entityIdOfStream } from '../../infra/event-store/stream-name';
import type { SqlStatement } from '../runtime/projection';

/**
 * Members list and detail (rm_members). Member events carry the stream revision, and an update
 * applies only to a row whose revision is lower: a replayed event changes nothing twice.
 */
export function projectMembers(event: EventEnvelope): SqlStatement[] {
  const data = event.data as Record<string, any>;
  const memberId = entityIdOfStream(event.streamId);
  const update = (set: string, values: unknown[]): SqlStatement[] => [{
    text: `UPDATE rm_members SET ${set}, updated_at = $3, revision = $4
           WHERE tenant_id = $1 AND member_id = $2 AND revision < $4`,
    values: [event.tenantId, memberId, event.occurredAt, event.streamRevision, ...values],
  }];
  switch (event.type) {
    case 'MemberRegistered':
      return [{
        text: `INSERT INTO rm_members (tenant_id, member_id, email, first_name, last_name, status, membership_type_id,
                 created_at, updated_at, revision)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) ON CONFLICT DO NOTHING`,
        values: [event.tenantId, data.memberId, data.email, data.firstName, data.lastName, data.status,
          data.membershipTypeId, event.occurredAt, event.streamRevision],
      }];
    case 'MemberDetailsChanged':
      return update(
        `email = coalesce($5, email), first_name = coalesce($6, first_name), last_name = coalesce($7, last_name),
         membership_type_id = CASE WHEN $8::boolean THEN $9::uuid ELSE membership_type_id END`,
        [data.email ?? null, data.firstName ?? null, data.lastName ?? null, 'membershipTypeId' in data, data.membershipTypeId ?? null]);
    case 'MemberActivated':
    case 'MemberReactivated':
      return update(`status = 'active'`, []);
    case 'MemberSuspended':
      return update(`status = 'suspended'`, []);
    case 'MemberDeactivated':
      return update(`status = 'inactive'`, []);
    case 'SubscriptionStarted':
    case 'SubscriptionPlanChanged':
      return update('subscription = $5::jsonb', [JSON.stringify({ ...data, status: 'active', cancelAtPeriodEnd: false })]);
    case 'SubscriptionCancellationScheduled':
      return update(`subscription = subscription || '{"cancelAtPeriodEnd": true}'::jsonb`, []);
    case 'SubscriptionRenewed':
      return update('subscription = subscription || $5::jsonb', [JSON.stringify({ periodStart: data.periodStart, periodEnd: data.periodEnd })]);
    case 'SubscriptionCancelled':
      return update('subscription = NULL', []);
    case 'ActivityRecorded':
      // Another stream's event, so it may be applied before, after or alongside the member's own
      // (another Kafka partition): it goes to its own table (migration 006), where greatest()
      // makes it idempotent and independent of order. The query API joins the two.
      return [{
        text: `INSERT INTO rm_member_activity (tenant_id, member_id, last_activity_at) VALUES ($1, $2, $3)
               ON CONFLICT (tenant_id, member_id) DO UPDATE
               SET last_activity_at = greatest(rm_member_activity.last_activity_at, excluded.last_activity_at)`,
        values: [event.tenantId, data.memberId, data.occurredAt],
      }];
    default:
      return [];
  }
}
