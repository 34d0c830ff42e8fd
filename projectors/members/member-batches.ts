import { rowsAsRecordset } from '../runtime/batched-rows';
import type { BatchedKind } from '../runtime/projection';

/**
 * The member changes a batch applies set-based, one statement each (see BatchedRow): the rows of
 * a batch of thousands of events cost PostgreSQL a few statements, not thousands.
 */

/**
 * New members, inserted together before the batch's updates (which may be about them). A
 * registration already applied (redelivered) is left alone. Every column group starts at the
 * registration's revision (migration 007).
 */
export const registrations: BatchedKind = {
  key: 'rm_members registrations',
  place: 'first',
  build: (rows) => {
    const { from, values } = rowsAsRecordset(rows, 'r', `tenant_id uuid, member_id uuid, email text, first_name text,
      last_name text, status text, membership_type_id uuid, created_at timestamptz, revision integer`);
    return {
      text: `INSERT INTO rm_members (tenant_id, member_id, email, first_name, last_name, status, membership_type_id,
               created_at, updated_at, revision, status_revision, details_revision, subscription_revision)
             SELECT tenant_id, member_id, email, first_name, last_name, status, membership_type_id, created_at, created_at,
               revision, revision, revision, revision
             FROM ${from} ON CONFLICT DO NOTHING`,
      values,
    };
  },
};

/**
 * Status changes: the newest per member in the batch (by stream revision), applied where the
 * member's status is older. Only the status columns are touched, so this commutes with the
 * batch's details and subscription statements and runs after them.
 */
export const statusChanges: BatchedKind = {
  key: 'rm_members status',
  place: 'last',
  build: (rows) => {
    const { from, values } = rowsAsRecordset(rows, 'r', 'tenant_id uuid, member_id uuid, status text, revision integer, occurred_at timestamptz');
    return {
      text: `UPDATE rm_members m
             SET status = v.status, status_revision = v.revision,
                 revision = greatest(m.revision, v.revision), updated_at = greatest(m.updated_at, v.occurred_at)
             FROM (SELECT DISTINCT ON (tenant_id, member_id) * FROM ${from}
                   ORDER BY tenant_id, member_id, revision DESC) AS v
             WHERE m.tenant_id = v.tenant_id AND m.member_id = v.member_id AND m.status_revision < v.revision`,
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
export const latestActivities: BatchedKind = {
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
