import { conflict } from '../shared/domain-error';
import type { ClaimEvent } from './events';
import type { ClaimState } from './state';

/**
 * `replacing` names the holder the application found stale: it never came to exist or no longer
 * uses the value (a create that crashed between the claim and its own append, or a change of
 * email that did not finish). Only that holder's claim may be taken over: if another owner took
 * the value meanwhile, the takeover is refused, so two concurrent takeovers cannot both win.
 * `value` is only for the refusal's message; the event keeps `valueHash`.
 */
export type ClaimValue = {
  type: 'ClaimValue';
  ownerId: string;
  value: string;
  valueHash: string;
  replacing?: string;
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
    if (command.replacing !== state.ownerId) throw conflict(command.conflictCode, `"${command.value}" is already taken.`);
  }
  return [{ type: 'ValueClaimed', data: { ownerId: command.ownerId, valueHash: command.valueHash } }];
}
