import type { EventEnvelope } from '../../infra/event-store/port';
import { isStreamOf } from '../../infra/event-store/stream-name';
import type { LiveChangeNotifier } from '../../infra/live/port';
import type { PartitionApplier } from '../runtime/kafka-projector';

/**
 * The tenants whose member changes (member-changes.ts) a committed batch may hold: those with an
 * event on a member stream. One too many is harmless (its feed finds nothing); one too few is not.
 */
export function tenantsWithMemberChanges(events: readonly (EventEnvelope | null)[]): string[] {
  const tenants = new Set<string>();
  for (const event of events) if (event && isStreamOf('member', event.streamId)) tenants.add(event.tenantId);
  return [...tenants];
}

/** Distributed mode: after each partition batch commits, wake the query APIs of its tenants. */
export function wakingLiveStreams(applier: PartitionApplier, notifier: LiveChangeNotifier): PartitionApplier {
  return {
    ...applier,
    apply: async (partition, messages) => {
      const checkpoint = await applier.apply(partition, messages);
      notifier.notify(tenantsWithMemberChanges(messages.map((message) => message.event)));
      return checkpoint;
    },
  };
}
