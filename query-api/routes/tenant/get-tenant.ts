import { z } from 'zod';
import { planLimits, type Plan } from '../../../domain/tenant';
import { HttpProblem } from '../../../infra/http/problem';
import type { QueryApiDependencies } from '../../dependencies';
import { readerRoles, type QueryRouteSpec } from '../../query-route';
import { withTenant } from '../../tenant-scope';

export function getTenantRoute(deps: QueryApiDependencies): QueryRouteSpec<object, object> {
  return {
    url: '/v1/tenant', summary: 'The caller’s tenant: plan, limits and usage', roles: readerRoles,
    query: z.object({}), params: z.object({}),
    handle: ({ principal }) => withTenant(deps.db, principal.tenantId, async (trx) => {
      const tenant = await trx.selectFrom('rm_tenants').selectAll().where('tenant_id', '=', principal.tenantId).executeTakeFirst();
      if (!tenant) throw new HttpProblem(404, 'tenant-not-found', 'Not found', 'The tenant of this token does not exist.');
      const members = await trx.selectFrom('rm_members')
        .select((eb) => [eb.fn.countAll<number>().as('total'),
          eb.fn.countAll<number>().filterWhere('status', '=', 'active').as('active')])
        .where('tenant_id', '=', principal.tenantId).executeTakeFirstOrThrow();
      const types = await trx.selectFrom('rm_membership_types').select((eb) => eb.fn.countAll<number>().as('total'))
        .where('tenant_id', '=', principal.tenantId).executeTakeFirstOrThrow();
      return {
        tenantId: tenant.tenant_id,
        name: tenant.name,
        subdomain: tenant.subdomain,
        plan: tenant.plan,
        limits: planLimits[tenant.plan as Plan],
        usage: { members: Number(members.total), activeMembers: Number(members.active), membershipTypes: Number(types.total) },
        createdAt: tenant.created_at.toISOString(),
      };
    }),
  };
}
