import { invalid, type FieldError } from '../shared/domain-error';
import { millisecondsBetween } from '../shared/time';
import type { ActivityEvent } from './events';

export const maxActivitiesPerCall = 1000;
const maxAgeMs = 35 * 24 * 60 * 60 * 1000;
const maxAheadMs = 5 * 60 * 1000;

export type ActivityItem = { memberId: string; type: string; occurredAt: string };
export type RecordActivities = { type: 'RecordActivities'; items: ActivityItem[]; now: string };

/**
 * Activities are facts reported after the event, so there is no state to decide against: only the
 * time window. A batch is all or nothing, so a client never has to work out which half landed.
 */
export function decideActivities(command: RecordActivities): ActivityEvent[] {
  const errors: FieldError[] = [];
  command.items.forEach((item, index) => {
    const age = millisecondsBetween(item.occurredAt, command.now);
    if (age > maxAgeMs) errors.push({ path: `items.${index}.occurredAt`, message: 'more than 35 days in the past' });
    if (-age > maxAheadMs) errors.push({ path: `items.${index}.occurredAt`, message: 'more than 5 minutes in the future' });
  });
  if (command.items.length > maxActivitiesPerCall) {
    errors.push({ path: 'items', message: `at most ${maxActivitiesPerCall} items per call` });
  }
  if (errors.length > 0) throw invalid('activity-out-of-window', 'Some activities fall outside the accepted window.', errors);
  return command.items.map((item) => ({
    type: 'ActivityRecorded',
    data: { memberId: item.memberId, activityType: item.type, occurredAt: item.occurredAt },
  }));
}
