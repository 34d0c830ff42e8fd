import { z } from 'zod';
import type { QueryApiDependencies } from '../../dependencies';
import { readerRoles, type QueryRouteSpec } from '../../query-route';
import { withTenant } from '../../tenant-scope';

export function listMembershipTypesRoute(deps: QueryApiDependencies): QueryRouteSpec<object, object> {
  return {
    url: '/v1/membership-types', summary: 'The tenant’s membership types', roles: readerRoles,
    query: z.object({}), params: z.object({}),
    response: z.object({ items: z.array(z.object({
      membershipTypeId: z.uuid(), name: z.string(), description: z.string().nullable(), monthlyPriceCents: z.number().int(),
      currency: z.string(), features: z.array(z.string()), createdAt: z.string(), revision: z.number().int(),
    })) }),
    handle: async ({ principal }) => {
      const rows = await withTenant(deps.db, principal.tenantId, (trx) =>
        trx.selectFrom('rm_membership_types').selectAll().orderBy('created_at').orderBy('membership_type_id').execute());
      return {
        items: rows.map((row) => ({
          membershipTypeId: row.membership_type_id,
          name: row.name,
          description: row.description,
          monthlyPriceCents: Number(row.monthly_price_cents),
          currency: row.currency,
          features: row.features,
          createdAt: row.created_at.toISOString(),
          revision: row.revision,
        })),
      };
    },
  };
}
