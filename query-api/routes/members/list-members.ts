import { z } from 'zod';
import type { QueryApiDependencies } from '../../dependencies';
import { readerRoles, type QueryRouteSpec } from '../../query-route';
import { decodeCursor, invalidCursor, type Cursor } from './member-cursor';
import { memberViewSchema } from './member-view';
import { memberCountQuery, memberFilterSchema, memberListQuery, toMemberPage, countersAnswer, type MemberFilter } from './member-page';
import { compiledOnce } from '../../compiled-once';

export const listMembersQuery = memberFilterSchema.extend({
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function listMembersRoute(deps: QueryApiDependencies): QueryRouteSpec<z.infer<typeof listMembersQuery>, object> {
  const list = compiledOnce((filter: MemberFilter, after: Cursor | null, limit: number) => memberListQuery(deps.db, filter, after, limit));
  const count = compiledOnce((filter: MemberFilter) => memberCountQuery(deps.db, filter));
  return {
    url: '/v1/members', summary: 'List members: filters, search, cursor pagination', roles: readerRoles,
    query: listMembersQuery, params: z.object({}),
    response: z.object({ items: z.array(memberViewSchema), nextCursor: z.string().nullable(), total: z.number().int() }), refusals: [invalidCursor],
    handle: async ({ query, principal }) => {
      const { cursor, limit, ...filter } = query;
      const after = cursor ? decodeCursor(cursor, filter.sort) : null;
      const listed = list(filter, after, limit);
      if (countersAnswer(filter)) {
        const [found] = await deps.reads.read(principal.tenantId, [listed]);
        // An empty page (past the last member) carries no total: counted beside it below.
        if (found[0]) return { ...toMemberPage(found, filter, limit), total: Number(found[0].total) };
      }
      // Two statements, one snapshot (PreparedReads): the total agrees with the page.
      const [found, [counted]] = await deps.reads.read(principal.tenantId, [listed, count(filter)]);
      return { ...toMemberPage(found, filter, limit), total: Number(counted?.total ?? 0) };
    },
  };
}
