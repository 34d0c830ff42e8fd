import { z } from 'zod';
import type { QueryApiDependencies } from '../../dependencies';
import { readerRoles, type QueryRouteSpec } from '../../query-route';
import { decodeCursor, invalidCursor, type Cursor } from './member-cursor';
import { memberViewSchema } from './member-view';
import { memberCountQuery, memberFilterSchema, memberPageQuery, toMemberPage, type MemberFilter } from './member-page';
import { compiledOnce } from '../../prepared-reads';

export const listMembersQuery = memberFilterSchema.extend({
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function listMembersRoute(deps: QueryApiDependencies): QueryRouteSpec<z.infer<typeof listMembersQuery>, object> {
  const page = compiledOnce((filter: MemberFilter, after: Cursor | null, limit: number) => memberPageQuery(deps.db, filter, after, limit));
  const count = compiledOnce((filter: MemberFilter) => memberCountQuery(deps.db, filter));
  return {
    url: '/v1/members', summary: 'List members: filters, search, cursor pagination', roles: readerRoles,
    query: listMembersQuery, params: z.object({}),
    response: z.object({ items: z.array(memberViewSchema), nextCursor: z.string().nullable(), total: z.number().int() }), refusals: [invalidCursor],
    handle: async ({ query, principal }) => {
      const { cursor, limit, ...filter } = query;
      const after = cursor ? decodeCursor(cursor, filter.sort) : null;
      const [found, [counted]] = await deps.reads.read(principal.tenantId, [page(filter, after, limit), count(filter)]);
      return { ...toMemberPage(found, filter, limit), total: Number(counted?.total ?? 0) };
    },
  };
}
