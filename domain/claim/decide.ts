import { conflict } from '../shared/domain-error';
import type { ClaimEvent } from './events';
import type { ClaimState } from './state';

/**
 * `holderIsStale` is true when the application found that the current holder never came to
 * exist or no longer uses the value (a create that crashed between the claim and its own append,
 * or a change of email that did not finish). Such a claim may be taken over.
 */
export type ClaimValue = {
  type: 'ClaimValue';
  ownerId: string;
  value: string;
  holderIsStale: boolean;
  conflictCode: string;
};
export type ReleaseValue = { type: 'ReleaseValue'; ownerId: string };
export type ClaimCommand = ClaimValue | ReleaseValue;

export function decideClaim(command: ClaimCommand, state: ClaimState): ClaimEvent[] {
  if (command.type === 'ReleaseValue') {
    const heldByOwner = state.kind === 'held' && state.ownerId === command.ownerId;
    return heldByOwner ? [{ type: 'ValueReleased', data: { ownerId: command.ownerId } }] : [];
  }
  if (state.kind === 'held') {
    if (state.ownerId === command.ownerId) return [];
    if (!command.holderIsStale) throw conflict(command.conflictCode, `"${command.value}" is already taken.`);
  }
  return [{ type: 'ValueClaimed', data: { ownerId: command.ownerId, value: command.value } }];
}
