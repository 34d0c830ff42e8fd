import { z } from 'zod';
import type { EventDefinition } from '../shared/event';

/**
 * A claim reserves a unique value (a member's email within a tenant, a tenant's subdomain on the
 * platform) for one owner. It lives in its own stream named after the value's hash, so the event
 * store's expected-revision check is what makes the value unique, with no multi-stream
 * transaction. The value itself (an email is personal data) is never stored: only its hash.
 */
export const valueClaimedSchema = z.object({ ownerId: z.uuid(), valueHash: z.string().nullable() });
export const valueReleasedSchema = z.object({ ownerId: z.uuid() });

export type ClaimEvent =
  | { type: 'ValueClaimed'; data: z.infer<typeof valueClaimedSchema> }
  | { type: 'ValueReleased'; data: z.infer<typeof valueReleasedSchema> };

export const claimEventDefinitions: Record<ClaimEvent['type'], EventDefinition> = {
  // Version 1 stored the value in clear; read, it is dropped (its hash is in the stream's name).
  ValueClaimed: {
    schemaVersion: 2, schema: valueClaimedSchema,
    upcasters: { 1: (data) => ({ ownerId: (data as { ownerId: string }).ownerId, valueHash: null }) },
  },
  ValueReleased: { schemaVersion: 1, schema: valueReleasedSchema },
};
