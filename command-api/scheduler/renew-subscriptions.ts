import { handleCommand, type CommandContext } from '../handle-command';
import { memberDecider, memberStream } from '../routes/members/member-streams';
import type { StreamStates } from '../stream-states';
import type { DueWork } from './due-work';

/** Member subscriptions looked at per pass; a run makes passes until nothing due is left. */
const renewalBatch = 500;

/**
 * Member subscriptions whose period has ended are renewed, or end if cancelled at period end or
 * the member is no longer active (the domain's RenewSubscription decides which); returns how many
 * changed.
 */
export async function renewSubscriptions(
  streams: StreamStates, due: DueWork, now: string, context: (tenantId: string) => CommandContext,
  onError: (error: unknown) => void,
): Promise<number> {
  let renewed = 0;
  const seen = new Set<string>();
  for (;;) {
    const batch = (await due.endedSubscriptions(now, renewalBatch)).filter((row) => !seen.has(row.memberId));
    // The read models lag our own appends: rows already handled in this run come back until
    // projected, and are skipped; the rest is left for the next run.
    if (batch.length === 0) return renewed;
    for (const { tenantId, memberId } of batch) {
      seen.add(memberId);
      // One member failing stops no other; the next run tries it again.
      try {
        const result = await handleCommand(streams, memberStream(tenantId, memberId), memberDecider, { type: 'RenewSubscription', now }, context(tenantId));
        if (result.changed) renewed += 1;
      } catch (error) {
        onError(error);
      }
    }
  }
}
