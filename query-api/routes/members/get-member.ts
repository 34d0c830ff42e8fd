import { z } from 'zod';
import { memberNotFound } from '../../../domain/member';
import { HttpProblem } from '../../../infra/http/problem';
import type { QueryApiDependencies } from '../../dependencies';
import { readerRoles, type QueryRouteSpec } from '../../query-route';
import { memberViewSchema, selectMembers, toMemberView } from './member-view';

const params = z.strictObject({ memberId: z.uuid() });

export function getMemberRoute(deps: QueryApiDependencies): QueryRouteSpec<object, z.infer<typeof params>> {
  return {
    url: '/v1/members/:memberId', summary: 'One member, with membership type name, subscription and last activity',
    roles: readerRoles, query: z.object({}), params,
    response: memberViewSchema, etag: true, refusals: [memberNotFound],
    handle: async ({ params: { memberId }, principal, reply }) => {
      const [[row]] = await deps.reads.read(principal.tenantId, [selectMembers(deps.db).where('m.member_id', '=', memberId)]);
      if (!row) throw new HttpProblem(404, 'member-not-found', 'Not found', 'No such member.');
      reply.header('ETag', `"${row.revision}"`);
      return toMemberView(row);
    },
  };
}
