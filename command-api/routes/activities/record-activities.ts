import { z } from 'zod';
import { activityTypeSchema, decideActivities, maxActivitiesPerCall } from '../../../domain/activity';
import { entityId, isoInstant } from '../../../domain/shared/schemas';
import { tenantStreamId } from '../../../infra/event-store/stream-name';
import { HttpProblem } from '../../../infra/http/problem';
import { refusal } from '../../../infra/http/openapi-responses';
import type { CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { envelope } from '../../handle-command';
import { alreadyAppended, appendedByEarlierAttempts } from '../../resumed-request';

export const recordActivitiesBody = z.strictObject({
  items: z.array(z.strictObject({ memberId: entityId, type: activityTypeSchema, occurredAt: isoInstant }))
    .min(1).max(maxActivitiesPerCall),
});

/**
 * Engagement signals. Each call becomes one new stream of ActivityRecorded events, so recording
 * never contends with member commands. Every member must exist in the caller's tenant.
 */
export function recordActivitiesRoute(
  deps: RouteDependencies,
): CommandRouteSpec<z.infer<typeof recordActivitiesBody>, object> {
  return {
    method: 'POST', url: '/v1/activities', summary: 'Record engagement activities (up to 1,000)',
    roles: ['owner', 'admin', 'staff'], body: recordActivitiesBody, params: z.object({}),
    status: 202, etag: false, response: z.object({ accepted: z.number().int(), position: z.number().int() }),
    refusals: [refusal(404, 'member-not-found'), refusal(400, 'activity-out-of-window')],
    async handle({ body, context }) {
      const events = decideActivities({ type: 'RecordActivities', items: body.items, now: context.now });
      const memberStreamOf = (memberId: string) => tenantStreamId('member', context.tenantId, memberId);
      const wanted = [...new Set(body.items.map((i) => i.memberId))];
      const existing = await deps.streams.store.existingStreams(wanted.map(memberStreamOf));
      const unknown = body.items.flatMap((item, index) =>
        existing.has(memberStreamOf(item.memberId)) ? [] : [{ path: `items.${index}.memberId`, message: 'no such member' }]);
      if (unknown.length > 0) throw new HttpProblem(404, 'member-not-found', 'Not found', 'Some members do not exist.', unknown);
      const streamId = tenantStreamId('activity', context.tenantId, context.newId());
      // A resumed request's stream may exist already: its first attempt appended it whole.
      const earlier = await appendedByEarlierAttempts(deps.streams.store, streamId, context);
      const position = alreadyAppended(events, earlier) ? earlier.at(-1)!.position
        : (await deps.streams.store.append(streamId, events.map((e) => envelope(e, context)), 'no-stream')).position;
      return { status: 202, body: { accepted: events.length, position } };
    },
  };
}
