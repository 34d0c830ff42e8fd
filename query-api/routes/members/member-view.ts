import { sql } from 'kysely';
import type { ReadModelDb } from '../../../infra/read-models/database';
import { z } from 'zod';
import { subscriptionViewSchema, toSubscriptionView } from './subscription-view';
import { isoInstantOfUtcText, utcInstantSql } from '../../../infra/postgres/utc-instant';

/** The member as the API shows it, in the list, the detail and the export alike. */
export function selectMembers(db: ReadModelDb) {
  return db.selectFrom('rm_members as m')
    .leftJoin('rm_membership_types as t', (join) =>
      join.onRef('t.tenant_id', '=', 'm.tenant_id').onRef('t.membership_type_id', '=', 'm.membership_type_id'))
    .leftJoin('rm_member_activity as a', (join) => join.onRef('a.tenant_id', '=', 'm.tenant_id').onRef('a.member_id', '=', 'm.member_id'))
    .select(['m.member_id', 'm.email', 'm.first_name', 'm.last_name', 'm.status', 'm.membership_type_id',
      't.name as membership_type_name', 'm.subscription', 'm.cancelled_subscription', 'm.subscription_status', 'm.revision'])
    .select([utcText('m.created_at').as('created_at'), utcText('m.updated_at').as('updated_at'),
      utcText('a.last_activity_at').as('last_activity_at')]);
}

/** Instants as UTC text, made the API's form by toMemberView (utc-instant.ts says why). */
const utcText = (column: string) => sql.raw<string>(utcInstantSql(column));

type MemberRow = {
  member_id: string; email: string; first_name: string; last_name: string; status: string; membership_type_id: string | null;
  membership_type_name: string | null; subscription: Record<string, unknown> | null;
  cancelled_subscription: Record<string, unknown> | null; subscription_status: string; created_at: string; updated_at: string;
  last_activity_at: string | null; revision: number;
};

export function toMemberView(row: MemberRow) {
  return {
    memberId: row.member_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
    membershipTypeId: row.membership_type_id,
    membershipTypeName: row.membership_type_name,
    subscription: toSubscriptionView(row),
    createdAt: isoInstantOfUtcText(row.created_at),
    updatedAt: isoInstantOfUtcText(row.updated_at),
    lastActivityAt: row.last_activity_at === null ? null : isoInstantOfUtcText(row.last_activity_at),
    revision: row.revision,
  };
}

export type MemberView = ReturnType<typeof toMemberView>;

/** MemberView as /docs describes it (DESIGN §6). */
export const memberViewSchema = z.object({
  memberId: z.uuid(), email: z.string(), firstName: z.string(), lastName: z.string(),
  status: z.enum(['pending', 'active', 'suspended', 'inactive']), membershipTypeId: z.uuid().nullable(), membershipTypeName: z.string().nullable(),
  subscription: subscriptionViewSchema.nullable(), createdAt: z.string(), updatedAt: z.string(), lastActivityAt: z.string().nullable(),
  revision: z.number().int(),
});
