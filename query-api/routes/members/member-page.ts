import { sql, type Expression, type SqlBool } from 'kysely';
import { preparedLimit } from '../../prepared-reads';
import type { ReadModelDb } from '../../../infra/read-models/database';
import { z } from 'zod';
import { encodeCursor, sortKeyOf, sortOrders, type Cursor, type SortKey } from './member-cursor';
import { selectMembers, toMemberView, type MemberView } from './member-view';
import { subscriptionStatusFilters } from './subscription-view';

export const memberFilterSchema = z.strictObject({
  status: z.enum(['pending', 'active', 'suspended', 'inactive']).optional(),
  membershipTypeId: z.uuid().optional(),
  q: z.string().trim().min(1).max(100).optional(),
  /** `none`: never subscribed. Served by rm_members_subscription_status (migration 014). */
  subscriptionStatus: z.enum(subscriptionStatusFilters).optional(),
  sort: z.enum(sortOrders).default('-createdAt'),
});
export type MemberFilter = z.infer<typeof memberFilterSchema>;

/** Sort keys, each ending with the member id so that every row has a distinct position. */
const sortKeys: Record<SortKey, { columns: string[]; valuesOf: (m: MemberView) => string[] }> = {
  createdAt: { columns: ['m.created_at', 'm.member_id'], valuesOf: (m) => [m.createdAt, m.memberId] },
  name: { columns: ['lower(m.last_name)', 'lower(m.first_name)', 'm.member_id'],
    valuesOf: (m) => [m.lastName.toLowerCase(), m.firstName.toLowerCase(), m.memberId] },
  email: { columns: ['lower(m.email)', 'm.member_id'], valuesOf: (m) => [m.email.toLowerCase(), m.memberId] },
};

/**
 * One page of members by keyset: rows strictly after the cursor's sort key (decodeCursor has
 * checked that its values fit the key's columns), at least one more than `limit` to tell whether
 * a page follows. Inserts made while a client pages never shift the rows it has not seen yet, unlike
 * OFFSET. Built on `db` and run by the caller (PreparedReads).
 */
export function memberPageQuery(db: ReadModelDb, filter: MemberFilter, after: Cursor | null, limit: number) {
  const descending = filter.sort.startsWith('-');
  const key = sortKeys[sortKeyOf(filter.sort)];
  let query = applyFilter(selectMembers(db), filter);
  if (after) {
    const columns = sql.join(key.columns.map((c) => sql.raw(c)));
    const values = sql.join(after.after.map((v) => sql`${v}`));
    query = query.where(descending ? sql<SqlBool>`(${columns}) < (${values})` : sql<SqlBool>`(${columns}) > (${values})`);
  }
  for (const column of key.columns) query = query.orderBy(sql.raw(column), descending ? 'desc' : 'asc');
  return query.limit(preparedLimit(limit + 1));
}

/**
 * The list route's page: memberPageQuery with its total where the counters answer it
 * (countersAnswer), in the page's own statement, so from its snapshot; elsewhere `total` is null,
 * and so it is on an empty page: memberCountQuery then counts. (The CSV export reads
 * memberPageQuery itself: it tells no total.)
 */
export function memberListQuery(db: ReadModelDb, filter: MemberFilter, after: Cursor | null, limit: number) {
  const total = countersAnswer(filter) ? countersTotal(filter) : sql<number | null>`NULL`;
  return memberPageQuery(db, filter, after, limit).select(total.as('total'));
}

/** The page's members and the cursor of the next page, if one follows. */
export function toMemberPage(found: Parameters<typeof toMemberView>[0][], filter: MemberFilter, limit: number) {
  const key = sortKeys[sortKeyOf(filter.sort)];
  const rows = found.map(toMemberView);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ sort: filter.sort, after: key.valuesOf(last) }) : null;
  return { items, nextCursor };
}

/** Totals by status are kept as counters with the rows (rm_member_counts); other filters must count. */
export const countersAnswer = (filter: MemberFilter) => !filter.q && !filter.membershipTypeId && !filter.subscriptionStatus;

const countersTotal = (filter: MemberFilter) => sql<number>`(SELECT coalesce(sum(c.members), 0) FROM rm_member_counts c
  WHERE ${filter.status ? sql`c.status = ${filter.status}` : sql`TRUE`})`;

/** How many members match, where memberListQuery's page has no total: from the counters where they answer, else counted. */
export function memberCountQuery(db: ReadModelDb, filter: MemberFilter) {
  if (countersAnswer(filter)) return db.selectNoFrom(countersTotal(filter).as('total'));
  return applyFilter(db.selectFrom('rm_members as m').select((eb) => eb.fn.countAll<number>().as('total')), filter);
}

function applyFilter<Q extends { where: (expression: Expression<SqlBool>) => Q }>(query: Q, filter: MemberFilter): Q {
  let filtered = query;
  if (filter.status) filtered = filtered.where(sql<SqlBool>`m.status = ${filter.status}`);
  if (filter.subscriptionStatus) filtered = filtered.where(sql<SqlBool>`m.subscription_status = ${filter.subscriptionStatus}`);
  if (filter.membershipTypeId) filtered = filtered.where(sql<SqlBool>`m.membership_type_id = ${filter.membershipTypeId}`);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Through the trigram index (migration 010 says why a function); the policy still applies to m.
    filtered = filtered.where(sql<SqlBool>`m.member_id IN (SELECT search_member_ids(${pattern}))`);
  }
  return filtered;
}
