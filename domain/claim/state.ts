import { assertNever } from '../shared/event';
import type { ClaimEvent } from './events';

export type ClaimState = { kind: 'free' } | { kind: 'held'; ownerId: string };

export const initialClaimState: ClaimState = { kind: 'free' };

export function evolveClaim(state: ClaimState, event: ClaimEvent): ClaimState {
  switch (event.type) {
    case 'ValueClaimed':
      return { kind: 'held', ownerId: event.data.ownerId };
    case 'ValueReleased':
      return state.kind === 'held' && state.ownerId === event.data.ownerId ? { kind: 'free' } : state;
    default:
      return assertNever(event);
  }
}
