import { sql, type Expression, type SqlBool } from 'kysely';
import type { TenantScopedDb } from '../../tenant-scope';
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
 * checked that its values fit the key's columns). Inserts made while a
 * client pages never shift the rows it has not seen yet, unlike OFFSET.
 */
export async function memberPage(trx: TenantScopedDb, filter: MemberFilter, after: Cursor | null, limit: number) {
  const descending = filter.sort.startsWith('-');
  const key = sortKeys[sortKeyOf(filter.sort)];
  // Where the counters answer the total, it rides along with the page: one round trip less.
  const counted = countersAnswer(filter)
    ? selectMembers(trx).select(sql<number | null>`(SELECT coalesce(sum(c.members), 0) FROM rm_member_counts c
        WHERE ${filter.status ? sql`c.status = ${filter.status}` : sql`TRUE`})`.as('total'))
    : selectMembers(trx).select(sql<number | null>`NULL`.as('total'));
  let query = applyFilter(counted, filter);
  if (after) {
    const columns = sql.join(key.columns.map((c) => sql.raw(c)));
    const values = sql.join(after.after.map((v) => sql`${v}`));
    query = query.where(descending ? sql<SqlBool>`(${columns}) < (${values})` : sql<SqlBool>`(${columns}) > (${values})`);
  }
  for (const column of key.columns) query = query.orderBy(sql.raw(column), descending ? 'desc' : 'asc');
  const found = await query.limit(limit + 1).execute();
  const rows = found.map(toMemberView);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ sort: filter.sort, after: key.valuesOf(last) }) : null;
  const total = found[0]?.total;
  return { items, nextCursor, total: total === null || total === undefined ? null : Number(total) };
}

const countersAnswer = (filter: MemberFilter) => !filter.q && !filter.membershipTypeId && !filter.subscriptionStatus;

/** Totals by status come from the counters kept with the rows; other filters count the matches. */
export async function countMembers(trx: TenantScopedDb, filter: MemberFilter) {
  if (countersAnswer(filter)) {
    let counted = trx.selectFrom('rm_member_counts').select((eb) => eb.fn.sum<number>('members').as('total'));
    if (filter.status) counted = counted.where('status', '=', filter.status);
    const row = await counted.executeTakeFirst();
    return Number(row?.total ?? 0);
  }
  const row = await applyFilter(trx.selectFrom('rm_members as m').select((eb) => eb.fn.countAll<number>().as('total')), filter)
    .executeTakeFirstOrThrow();
  return Number(row.total);
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
