import { z } from 'zod';
import type { EventDefinition } from '../shared/event';
import { entityId, isoInstant } from '../shared/schemas';

export const activityTypeSchema = z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'lower-case word, e.g. login');

/** An engagement signal. `occurredAt` is when the member acted, not when it was recorded. */
export const activityRecordedSchema = z.object({
  memberId: entityId,
  activityType: activityTypeSchema,
  occurredAt: isoInstant,
});

export type ActivityEvent = { type: 'ActivityRecorded'; data: z.infer<typeof activityRecordedSchema> };

export const activityEventDefinitions: Record<ActivityEvent['type'], EventDefinition> = {
  ActivityRecorded: { schemaVersion: 1, schema: activityRecordedSchema },
};
