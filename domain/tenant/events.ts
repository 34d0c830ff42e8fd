import { z } from 'zod';
import type { EventDefinition } from '../shared/event';
import { entityId } from '../shared/schemas';

export const planSchema = z.enum(['free', 'pro', 'enterprise']);
export type Plan = z.infer<typeof planSchema>;

export const tenantCreatedSchema = z.object({
  tenantId: entityId,
  name: z.string().min(1).max(200),
  subdomain: z.string(),
  plan: planSchema,
});

export type TenantEvent = { type: 'TenantCreated'; data: z.infer<typeof tenantCreatedSchema> };

export const tenantEventDefinitions: Record<TenantEvent['type'], EventDefinition> = {
  TenantCreated: { schemaVersion: 1, schema: tenantCreatedSchema },
};
