import { assertNever } from '../shared/event';
import type { MembershipTypeEvent } from './events';

export type MembershipTypeState =
  | { kind: 'absent' }
  | {
      kind: 'created';
      membershipTypeId: string;
      name: string;
      monthlyPriceCents: number;
      currency: string;
    };

export const initialMembershipTypeState: MembershipTypeState = { kind: 'absent' };

export function evolveMembershipType(
  state: MembershipTypeState,
  event: MembershipTypeEvent,
): MembershipTypeState {
  switch (event.type) {
    case 'MembershipTypeCreated': {
      const { membershipTypeId, name, monthlyPriceCents, currency } = event.data;
      return { kind: 'created', membershipTypeId, name, monthlyPriceCents, currency };
    }
    default:
      return assertNever(event.type);
  }
}
