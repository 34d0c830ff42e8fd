import type { MemberCommand } from '../../domain/member';
import { handleCommand, type CommandContext } from '../handle-command';
import { memberDecider, memberStream } from '../routes/members/member-streams';
import type { StreamStates } from '../stream-states';
import type { DueWork } from './due-work';

/** Member subscriptions looked at per pass; a run makes passes until nothing due is left. */
const memberBatch = 500;

type DueMembers = (now: string, limit: number) => Promise<{ tenantId: string; memberId: string }[]>;

/**
 * Sends `command` to every member `dueMembers` lists, pass after pass; returns how many changed.
 * The read models lag our own appends: rows already handled in this run come back until
 * projected, and are skipped; the rest is left for the next run. One member failing stops no
 * other; the next run tries it again.
 */
async function commandDueMembers(
  streams: StreamStates, dueMembers: DueMembers, command: MemberCommand, now: string,
  context: (tenantId: string) => CommandContext, onError: (error: unknown) => void,
): Promise<number> {
  let changed = 0;
  const seen = new Set<string>();
  for (;;) {
    const batch = (await dueMembers(now, memberBatch)).filter((row) => !seen.has(row.memberId));
    if (batch.length === 0) return changed;
    for (const { tenantId, memberId } of batch) {
      seen.add(memberId);
      try {
        const result = await handleCommand(streams, memberStream(tenantId, memberId), memberDecider, command, context(tenantId));
        if (result.changed) changed += 1;
      } catch (error) {
        onError(error);
      }
    }
  }
}

/**
 * Manual subscriptions whose period has ended are renewed, or end if cancelled at period end or
 * the member is no longer active (the domain's RenewSubscription decides which).
 */
export const renewSubscriptions = (streams: StreamStates, due: DueWork, now: string,
  context: (tenantId: string) => CommandContext, onError: (error: unknown) => void) =>
  commandDueMembers(streams, due.endedSubscriptions, { type: 'RenewSubscription', now }, now, context, onError);

/** Stripe-billed dues past due beyond the member grace period lapse (DESIGN §11). */
export const lapseSubscriptions = (streams: StreamStates, due: DueWork, now: string,
  context: (tenantId: string) => CommandContext, onError: (error: unknown) => void) =>
  commandDueMembers(streams, due.lapsingSubscriptions, { type: 'LapseMemberSubscription', now }, now, context, onError);
