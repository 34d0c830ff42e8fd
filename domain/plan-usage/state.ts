import { assertNever } from '../shared/event';
import type { PlanUsageEvent } from './events';

/**
 * Counts only: which member holds a seat is the member's own stream's business (its status). The
 * application takes a seat before a member starts holding one and releases it after the member
 * stopped, so a crash in between can only over-count, never let a tenant past its limit.
 */
export type PlanUsageState = { opened: boolean; memberSeats: number; membershipTypes: number };

export const initialPlanUsageState: PlanUsageState = { opened: false, memberSeats: 0, membershipTypes: 0 };

export function evolvePlanUsage(state: PlanUsageState, event: PlanUsageEvent): PlanUsageState {
  switch (event.type) {
    case 'PlanUsageOpened':
      return { opened: true, memberSeats: state.memberSeats + event.data.memberSeats, membershipTypes: state.membershipTypes + event.data.membershipTypes };
    case 'MemberSeatTaken':
      return { ...state, memberSeats: state.memberSeats + 1 };
    case 'MemberSeatReleased':
      return { ...state, memberSeats: Math.max(0, state.memberSeats - 1) };
    case 'MembershipTypeCounted':
      return { ...state, membershipTypes: state.membershipTypes + 1 };
    default:
      return assertNever(event);
  }
}
