import { z } from 'zod';
import type { EventDefinition } from '../shared/event';
import { currencyCode, entityId, minorUnits } from '../shared/schemas';

export const membershipTypeCreatedSchema = z.object({
  membershipTypeId: entityId,
  name: z.string().min(1).max(200),
  description: z.string().max(2000).nullable(),
  monthlyPriceCents: minorUnits,
  currency: currencyCode,
  features: z.array(z.string().min(1).max(200)).max(100),
});

export type MembershipTypeEvent = {
  type: 'MembershipTypeCreated';
  data: z.infer<typeof membershipTypeCreatedSchema>;
};

export const membershipTypeEventDefinitions: Record<MembershipTypeEvent['type'], EventDefinition> = {
  MembershipTypeCreated: { schemaVersion: 1, schema: membershipTypeCreatedSchema },
};
