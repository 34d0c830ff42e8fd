import { conflict } from '../shared/domain-error';
import type { MembershipTypeEvent } from './events';
import type { MembershipTypeState } from './state';

export type CreateMembershipType = {
  type: 'CreateMembershipType';
  membershipTypeId: string;
  name: string;
  description: string | null;
  monthlyPriceCents: number;
  currency: string;
  features: string[];
};

export type MembershipTypeCommand = CreateMembershipType;

export function decideMembershipType(
  command: MembershipTypeCommand,
  state: MembershipTypeState,
): MembershipTypeEvent[] {
  if (state.kind === 'created') {
    throw conflict('membership-type-already-exists', 'This membership type already exists.');
  }
  const { type: _command, ...data } = command;
  return [{ type: 'MembershipTypeCreated', data }];
}
