import { createHash } from 'node:crypto';
import { decideClaim, evolveClaim, initialClaimState } from '../domain/claim';
import { DomainError } from '../domain/shared/domain-error';
import { handleCommand, type CommandContext } from './handle-command';
import type { StreamStates } from './stream-states';

const claimDecider = { decide: decideClaim, evolve: evolveClaim, initialState: initialClaimState };
/** A claim younger than this may belong to a command still running: never treat it as stale. */
const staleAfterMs = 30_000;

export type ClaimTarget = {
  streamId: string;
  /** Never stored: the claim's events keep its hash. */
  value: string;
  conflictCode: string;
  /** True when the holder does not use the value (its creation never finished, or it moved on). */
  holderDoesNotUseIt: (holderId: string) => Promise<boolean>;
};

export const hashedValue = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 40);

/** Reserves a unique value for `ownerId`; a 409 with the target's code when someone else holds it. */
export async function claimValue(streams: StreamStates, target: ClaimTarget, ownerId: string, callerContext: CommandContext) {
  const claim = (replacing?: string) => ({
    type: 'ClaimValue', ownerId, value: target.value, valueHash: hashedValue(target.value), conflictCode: target.conflictCode,
    ...(replacing === undefined ? {} : { replacing }),
  }) as const;
  // Never skipped as "done by an earlier attempt" when resuming a keyed request: the value may have
  // passed to another owner since, and only the claim's own state can say who holds it now (the
  // same owner holding it is already a no-op).
  const { resumedSince: _resumed, ...context } = callerContext;
  // Most values claimed are new: try without reading first.
  streams.presumeAbsent(target.streamId, claimDecider);
  try {
    await handleCommand(streams, target.streamId, claimDecider, claim(), context);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const { state } = await streams.load(target.streamId, claimDecider);
    if (state.kind !== 'held' || !(await isStale(streams, target, state.ownerId, context.now))) throw error;
    // Conditional on the holder found stale: a concurrent takeover that won first makes this a 409.
    await handleCommand(streams, target.streamId, claimDecider, claim(state.ownerId), context);
  }
}

export async function releaseValue(streams: StreamStates, streamId: string, ownerId: string, context: CommandContext) {
  await handleCommand(streams, streamId, claimDecider, { type: 'ReleaseValue', ownerId }, context);
}

async function isStale(streams: StreamStates, target: ClaimTarget, holderId: string, now: string) {
  const history = await streams.store.readStream(target.streamId);
  const lastClaim = history.findLast((e) => e.type === 'ValueClaimed');
  const old = lastClaim !== undefined && Date.parse(now) - Date.parse(lastClaim.recordedAt) > staleAfterMs;
  return old && (await target.holderDoesNotUseIt(holderId));
}
