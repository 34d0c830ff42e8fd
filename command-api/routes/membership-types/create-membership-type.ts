import { z } from 'zod';
import { decideMembershipType, evolveMembershipType, initialMembershipTypeState } from '../../../domain/membership-type';
import { currencyCode, minorUnits } from '../../../domain/shared/schemas';
import { tenantStreamId } from '../../../infra/event-store/stream-name';
import { planLimitReachedCode } from '../../../domain/plan-usage';
import { refusal } from '../../../infra/http/openapi-responses';
import type { CommandRouteSpec } from '../../command-route';
import { receiptOf } from '../command-receipt';
import type { RouteDependencies } from '../../dependencies';
import { handleCommand } from '../../handle-command';

export const createMembershipTypeBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  monthlyPriceCents: minorUnits,
  currency: currencyCode,
  features: z.array(z.string().trim().min(1).max(200)).max(100),
});

const decider = { decide: decideMembershipType, evolve: evolveMembershipType, initialState: initialMembershipTypeState };

export function createMembershipTypeRoute(
  deps: RouteDependencies,
): CommandRouteSpec<z.infer<typeof createMembershipTypeBody>, object> {
  return {
    method: 'POST', url: '/v1/membership-types', summary: 'Create a membership type', roles: ['owner', 'admin'],
    status: 201, response: receiptOf('membershipTypeId'), refusals: [refusal(409, planLimitReachedCode), refusal(409, 'membership-type-already-exists')],
    body: createMembershipTypeBody, params: z.object({}),
    async handle({ body, tenant, context }) {
      const membershipTypeId = context.newId();
      // Counted first: a refusal here leaves nothing behind; a crash after it only over-counts.
      await deps.planUsage.countMembershipType(tenant!, membershipTypeId, context);
      const result = await handleCommand(deps.streams, tenantStreamId('membershiptype', context.tenantId, membershipTypeId), decider, {
        type: 'CreateMembershipType', membershipTypeId, name: body.name, description: body.description ?? null,
        monthlyPriceCents: body.monthlyPriceCents, currency: body.currency, features: body.features,
      }, context);
      return {
        status: 201, body: { membershipTypeId, revision: result.revision, position: result.position },
        revision: result.revision, location: `/v1/membership-types/${membershipTypeId}`,
      };
    },
  };
}
