import { z } from 'zod';
import { planSchema } from '../../../domain/tenant';
import { platformStreamId } from '../../../infra/event-store/stream-name';
import { refusal } from '../../../infra/http/openapi-responses';
import type { CommandRouteSpec } from '../../command-route';
import { receiptOf } from '../command-receipt';
import type { RouteDependencies } from '../../dependencies';
import { handleCommand } from '../../handle-command';
import { tenantDecider, tenantStream } from '../../tenant-stream';
import { claimValue } from '../../value-claims';

export const createTenantBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  subdomain: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i, 'letters, digits and inner dashes, at most 63'),
  plan: planSchema,
});


/** Provisions a tenant (platform operators only). The subdomain routes the tenant, so it is unique. */
export function createTenantRoute(deps: RouteDependencies): CommandRouteSpec<z.infer<typeof createTenantBody>, object> {
  return {
    method: 'POST', url: '/v1/tenants', summary: 'Provision a tenant', roles: ['platform'], provisionsTenant: true,
    status: 201, response: receiptOf('tenantId'), refusals: [refusal(409, 'subdomain-taken'), refusal(409, 'tenant-already-exists')],
    body: createTenantBody, params: z.object({}),
    async handle({ body, context: callerContext }) {
      const tenantId = callerContext.newId();
      // Events of the new tenant are stamped with the new tenant's id, as every event is.
      const context = { ...callerContext, tenantId };
      const subdomain = body.subdomain.toLowerCase();
      const streamId = tenantStream(tenantId);
      await claimValue(deps.streams, {
        streamId: platformStreamId('subdomain', subdomain),
        value: subdomain,
        conflictCode: 'subdomain-taken',
        holderDoesNotUseIt: async (holderId) =>
          (await deps.streams.store.existingStreams([tenantStream(holderId)])).size === 0,
      }, tenantId, context);
      // A fresh id: decide on the empty stream without reading it.
      deps.streams.presumeAbsent(streamId, tenantDecider);
      const result = await handleCommand(deps.streams, streamId, tenantDecider,
        { type: 'CreateTenant', tenantId, name: body.name, subdomain, plan: body.plan }, context);
      return {
        status: 201, body: { tenantId, revision: result.revision, position: result.position },
        revision: result.revision, location: `/v1/tenant`,
      };
    },
  };
}
