import { DomainError } from '../shared/domain-error';
import type { PlanUsageEvent } from './events';
import type { PlanUsageState } from './state';

export type PlanResource = 'members' | 'membershipTypes';

/** `limit` is the tenant's plan's (null: unlimited); the application reads the plan in force. */
export type TakeMemberSeat = { type: 'TakeMemberSeat'; memberId: string; limit: number | null };
export type ReleaseMemberSeat = { type: 'ReleaseMemberSeat'; memberId: string };
export type CountMembershipType = { type: 'CountMembershipType'; membershipTypeId: string; limit: number | null };

/**
 * Opens the ledger of a tenant that had members and membership types before it existed (tenants
 * created before plan limits were enforced), with what the application counted then.
 */
export type OpenPlanUsage = { type: 'OpenPlanUsage'; memberSeats: number; membershipTypes: number };

export type PlanUsageCommand = OpenPlanUsage | TakeMemberSeat | ReleaseMemberSeat | CountMembershipType;

export const planLimitReachedCode = 'plan-limit-reached';

/** A refusal naming what ran out; the problem body carries `resource`, `limit` and `usage`. */
export const planLimitReached = (resource: PlanResource, limit: number, usage: number) =>
  new DomainError(planLimitReachedCode, 'conflict',
    `The plan allows ${limit} ${resource === 'members' ? 'members' : 'membership types'}; ${usage} in use.`, [],
    { resource, limit, usage });

export function decidePlanUsage(command: PlanUsageCommand, state: PlanUsageState): PlanUsageEvent[] {
  switch (command.type) {
    case 'OpenPlanUsage':
      return state.opened ? [] : [{ type: 'PlanUsageOpened', data: { memberSeats: command.memberSeats, membershipTypes: command.membershipTypes } }];
    case 'TakeMemberSeat':
      if (command.limit !== null && state.memberSeats >= command.limit) {
        throw planLimitReached('members', command.limit, state.memberSeats);
      }
      return [{ type: 'MemberSeatTaken', data: { memberId: command.memberId } }];
    case 'ReleaseMemberSeat':
      return state.memberSeats > 0 ? [{ type: 'MemberSeatReleased', data: { memberId: command.memberId } }] : [];
    case 'CountMembershipType':
      if (command.limit !== null && state.membershipTypes >= command.limit) {
        throw planLimitReached('membershipTypes', command.limit, state.membershipTypes);
      }
      return [{ type: 'MembershipTypeCounted', data: { membershipTypeId: command.membershipTypeId } }];
  }
}
