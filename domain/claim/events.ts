import { z } from 'zod';
import type { EventDefinition } from '../shared/event';

/**
 * A claim reserves a unique value (a member's email within a tenant, a tenant's subdomain on the
 * platform) for one owner. It lives in its own stream named after the value, so the event store's
 * expected-revision check is what makes the value unique, with no multi-stream transaction.
 */
export const valueClaimedSchema = z.object({ ownerId: z.uuid(), value: z.string() });
export const valueReleasedSchema = z.object({ ownerId: z.uuid() });

export type ClaimEvent =
  | { type: 'ValueClaimed'; data: z.infer<typeof valueClaimedSchema> }
  | { type: 'ValueReleased'; data: z.infer<typeof valueReleasedSchema> };

export const claimEventDefinitions: Record<ClaimEvent['type'], EventDefinition> = {
  ValueClaimed: { schemaVersion: 1, schema: valueClaimedSchema },
  ValueReleased: { schemaVersion: 1, schema: valueReleasedSchema },
};
