import { createHash } from 'node:crypto';
import { decideClaim, evolveClaim, initialClaimState } from '../domain/claim';
import type { EventStore } from '../infra/event-store/port';
import { handleCommand, type CommandContext } from './handle-command';

const claimDecider = { decide: decideClaim, evolve: evolveClaim, initialState: initialClaimState };
/** A claim younger than this may belong to a command still running: never treat it as stale. */
const staleAfterMs = 30_000;

export type ClaimTarget = {
  streamId: string;
  value: string;
  conflictCode: string;
  /** True when the holder does not use the value (its creation never finished, or it moved on). */
  holderDoesNotUseIt: (holderId: string) => Promise<boolean>;
};

export const hashedValue = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 40);

/** Reserves a unique value for `ownerId`; a 409 with the target's code when someone else holds it. */
export async function claimValue(store: EventStore, target: ClaimTarget, ownerId: string, context: CommandContext) {
  const history = await store.readStream(target.streamId);
  const state = history.reduce((s, e) => evolveClaim(s, e as never), initialClaimState);
  const lastClaim = history.findLast((e) => e.type === 'ValueClaimed');
  const old = lastClaim !== undefined && Date.parse(context.now) - Date.parse(lastClaim.recordedAt) > staleAfterMs;
  const holderIsStale = state.kind === 'held' && state.ownerId !== ownerId && old
    && (await target.holderDoesNotUseIt(state.ownerId));
  await handleCommand(store, target.streamId, claimDecider,
    { type: 'ClaimValue', ownerId, value: target.value, holderIsStale, conflictCode: target.conflictCode }, context);
}

export async function releaseValue(store: EventStore, streamId: string, ownerId: string, context: CommandContext) {
  await handleCommand(store, streamId, claimDecider, { type: 'ReleaseValue', ownerId }, context);
}
