import type { EventEnvelope } from '../../infra/event-store/port';
import { entityIdOfStream } from '../../infra/event-store/stream-name';
import { rowsAsRecordset } from '../runtime/batched-rows';
import type { BatchedKind, ProjectedChange, SqlStatement } from '../runtime/projection';

/**
 * Members list and detail (rm_members). Member events carry the stream revision, and an update
 * applies only to a row whose revision is lower: a replayed event changes nothing twice.
 */
export function projectMembers(event: EventEnvelope): ProjectedChange[] {
  const data = event.data as Record<string, any>;
  const memberId = entityIdOfStream(event.streamId);
  const update = (set: string, values: unknown[]): SqlStatement[] => [{
    text: `UPDATE rm_members SET ${set}, updated_at = $3, revision = $4
           WHERE tenant_id = $1 AND member_id = $2 AND revision < $4`,
    values: [event.tenantId, memberId, event.occurredAt, event.streamRevision, ...values],
  }];
  switch (event.type) {
    case 'MemberRegistered':
      return [{ kind: registrations, row: {
        tenant_id: event.tenantId, member_id: data.memberId, email: data.email, first_name: data.firstName,
        last_name: data.lastName, status: data.status, membership_type_id: data.membershipTypeId ?? null,
        created_at: event.occurredAt, revision: event.streamRevision,
      } }];
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
      return [{ kind: latestActivities, row: { tenant_id: event.tenantId, member_id: data.memberId, occurred_at: data.occurredAt } }];
    default:
      return [];
  }
}

/**
 * New members, inserted together before the batch's updates (which may be about them). A
 * registration already applied (redelivered) is left alone.
 */
const registrations: BatchedKind = {
  key: 'rm_members registrations',
  place: 'first',
  build: (rows) => {
    const { from, values } = rowsAsRecordset(rows, 'r', `tenant_id uuid, member_id uuid, email text, first_name text,
      last_name text, status text, membership_type_id uuid, created_at timestamptz, revision integer`);
    return {
      text: `INSERT INTO rm_members (tenant_id, member_id, email, first_name, last_name, status, membership_type_id,
               created_at, updated_at, revision)
             SELECT tenant_id, member_id, email, first_name, last_name, status, membership_type_id, created_at, created_at, revision
             FROM ${from} ON CONFLICT DO NOTHING`,
      values,
    };
  },
};

/**
 * Latest activity per member. Activities are another stream's events, so they may be applied
 * before, after or alongside the member's own (another Kafka partition): they go to their own
 * table (migration 006), where greatest() makes them idempotent and independent of order. The
 * query API joins the two. Rows are reduced per member first: an upsert may touch a row only once.
 */
const latestActivities: BatchedKind = {
  key: 'rm_member_activity',
  place: 'last',
  build: (rows) => {
    const { from, values } = rowsAsRecordset(rows, 'a', 'tenant_id uuid, member_id uuid, occurred_at timestamptz');
    return {
      text: `INSERT INTO rm_member_activity (tenant_id, member_id, last_activity_at)
             SELECT tenant_id, member_id, max(occurred_at) FROM ${from}
             GROUP BY tenant_id, member_id ORDER BY tenant_id, member_id
             ON CONFLICT (tenant_id, member_id) DO UPDATE
             SET last_activity_at = greatest(rm_member_activity.last_activity_at, excluded.last_activity_at)`,
      values,
    };
  },
};
