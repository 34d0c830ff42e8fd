import { z } from 'zod';
import type { EventDefinition } from '../shared/event';
import { entityId } from '../shared/schemas';

/**
 * A tenant's plan usage: the seats its members hold (pending, active, suspended) and the
 * membership types it has. One stream per tenant, so the event store's expected-revision check is
 * what keeps concurrent registrations from passing a plan's limit.
 */
const seat = z.object({ memberId: entityId });

/** The ledger's first event: what the tenant held when the ledger started counting. */
const opened = z.object({ memberSeats: z.number().int().min(0), membershipTypes: z.number().int().min(0) });

export type PlanUsageEvent =
  | { type: 'PlanUsageOpened'; data: z.infer<typeof opened> }
  | { type: 'MemberSeatTaken'; data: z.infer<typeof seat> }
  | { type: 'MemberSeatReleased'; data: z.infer<typeof seat> }
  | { type: 'MembershipTypeCounted'; data: { membershipTypeId: string } };

export const planUsageEventDefinitions: Record<PlanUsageEvent['type'], EventDefinition> = {
  PlanUsageOpened: { schemaVersion: 1, schema: opened },
  MemberSeatTaken: { schemaVersion: 1, schema: seat },
  MemberSeatReleased: { schemaVersion: 1, schema: seat },
  MembershipTypeCounted: { schemaVersion: 1, schema: z.object({ membershipTypeId: entityId }) },
};
