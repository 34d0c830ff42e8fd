import { z } from 'zod';
import { seatHoldingStatuses } from '../../../domain/member';
import { billingViewSchema, planLimits, planSchema, type Plan, type PlanLimits } from '../../../domain/tenant';
import { refusal } from '../../../infra/http/openapi-responses';
import { HttpProblem } from '../../../infra/http/problem';
import type { QueryApiDependencies } from '../../dependencies';
import { readerRoles, type QueryRouteSpec } from '../../query-route';
import { withTenant } from '../../tenant-scope';

type Usage = { members: number; membershipTypes: number };
type Warning = { code: 'plan-limit-near'; resource: keyof Usage; usage: number; limit: number };

/** A warning per limited resource at 80 % of its limit or more (at or over it included). */
export function planWarnings(limits: PlanLimits, usage: Usage): Warning[] {
  return (['members', 'membershipTypes'] as const).flatMap((resource) => {
    const limit = limits[resource];
    // usage / limit >= 0.8, in integers.
    return limit !== null && usage[resource] * 5 >= limit * 4
      ? [{ code: 'plan-limit-near' as const, resource, usage: usage[resource], limit }] : [];
  });
}

const limitsSchema = z.object({ members: z.number().int().nullable(), membershipTypes: z.number().int().nullable(), activitiesPerCall: z.number().int() });

const tenantViewSchema = z.object({
  tenantId: z.uuid(), name: z.string(), subdomain: z.string(), plan: planSchema,
  // The billing view is the domain's (DESIGN §10), so the document cannot drift from it.
  billing: billingViewSchema,
  payments: z.object({ accountId: z.string().nullable(), chargesEnabled: z.boolean() }),
  limits: limitsSchema,
  usage: z.object({ members: z.number().int(), activeMembers: z.number().int(), inactiveMembers: z.number().int(), membershipTypes: z.number().int() }),
  warnings: z.array(z.object({ code: z.literal('plan-limit-near'), resource: z.enum(['members', 'membershipTypes']), usage: z.number().int(), limit: z.number().int() })),
  createdAt: z.string(),
});

const isoOrNull = (value: Date | null) => (value === null ? null : value.toISOString());

export function getTenantRoute(deps: QueryApiDependencies): QueryRouteSpec<object, object> {
  return {
    url: '/v1/tenant', summary: 'The caller’s tenant: plan in force, billing, limits, usage and warnings near a limit', roles: readerRoles,
    query: z.object({}), params: z.object({}),
    response: tenantViewSchema, refusals: [refusal(404, 'tenant-not-found')],
    handle: ({ principal }) => withTenant(deps.db, principal.tenantId, async (trx) => {
      const tenant = await trx.selectFrom('rm_tenants').selectAll().where('tenant_id', '=', principal.tenantId).executeTakeFirst();
      if (!tenant) throw new HttpProblem(404, 'tenant-not-found', 'Not found', 'The tenant of this token does not exist.');
      // One row per status, kept by a trigger (migration 004): no count over the members.
      const counts = await trx.selectFrom('rm_member_counts').select(['status', 'members'])
        .where('tenant_id', '=', principal.tenantId).execute();
      const membersWith = (statuses: readonly string[]) =>
        counts.filter((row) => statuses.includes(row.status)).reduce((sum, row) => sum + Number(row.members), 0);
      const types = await trx.selectFrom('rm_membership_types').select((eb) => eb.fn.countAll<number>().as('total'))
        .where('tenant_id', '=', principal.tenantId).executeTakeFirstOrThrow();
      const plan = tenant.plan as Plan;
      const usage = {
        members: membersWith(seatHoldingStatuses), activeMembers: membersWith(['active']), inactiveMembers: membersWith(['inactive']),
        membershipTypes: Number(types.total),
      };
      return {
        tenantId: tenant.tenant_id,
        name: tenant.name,
        subdomain: tenant.subdomain,
        plan,
        billing: {
          status: tenant.billing_status, plan, interval: tenant.billing_interval,
          currentPeriodEnd: isoOrNull(tenant.current_period_end), cancelAtPeriodEnd: tenant.cancel_at_period_end,
          graceEndsAt: isoOrNull(tenant.grace_ends_at),
        },
        payments: { accountId: tenant.payments_account_id, chargesEnabled: tenant.payments_charges_enabled },
        limits: planLimits[plan],
        usage,
        warnings: planWarnings(planLimits[plan], usage),
        createdAt: tenant.created_at.toISOString(),
      };
    }),
  };
}
