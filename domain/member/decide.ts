import { conflict, notFound } from '../shared/domain-error';
import type { MemberEvent } from './events';
import type { Member, MemberState } from './state';
import { requireStatus } from './require-status';
import { decideLapse, decideStripeFact, type LapseMemberSubscription, type RecordMemberStripeFact } from './stripe-dues';
import { decideSubscription, type SubscriptionCommand } from './subscription';

export type RegisterMember = {
  type: 'RegisterMember';
  memberId: string;
  email: string;
  firstName: string;
  lastName: string;
  membershipTypeId: string | null;
  invite: boolean;
};
export type ChangeMemberDetails = {
  type: 'ChangeMemberDetails';
  email?: string;
  firstName?: string;
  lastName?: string;
  membershipTypeId?: string | null;
};
export type ActivateMember = { type: 'ActivateMember' };
export type SuspendMember = { type: 'SuspendMember'; reason: string };
export type ReactivateMember = { type: 'ReactivateMember' };
export type DeactivateMember = { type: 'DeactivateMember'; reason: string };

export type MemberCommand =
  | RegisterMember
  | ChangeMemberDetails
  | ActivateMember
  | SuspendMember
  | ReactivateMember
  | DeactivateMember
  | SubscriptionCommand
  | RecordMemberStripeFact
  | LapseMemberSubscription;

/** 404: no such member in this tenant (another tenant's member is simply unknown here). */
export const memberNotFound = () => notFound('member-not-found', 'No such member.');

export function decideMember(command: MemberCommand, state: MemberState): MemberEvent[] {
  if (command.type === 'RegisterMember') return register(command, state);
  if (state.kind === 'absent') throw memberNotFound();
  switch (command.type) {
    case 'ChangeMemberDetails':
      return changeDetails(command, state);
    case 'ActivateMember':
      requireStatus(state, ['pending'], 'member-not-pending', 'Only a pending member can be activated.');
      return [{ type: 'MemberActivated', data: {} }];
    case 'SuspendMember':
      requireStatus(state, ['active'], 'member-not-active', 'Only an active member can be suspended.');
      return [{ type: 'MemberSuspended', data: { reason: command.reason } }];
    case 'ReactivateMember':
      requireStatus(state, ['suspended', 'inactive'], 'member-not-suspended-or-inactive',
        'Only a suspended or inactive member can be reactivated.');
      return [{ type: 'MemberReactivated', data: {} }];
    case 'DeactivateMember':
      return deactivate(command, state);
    case 'RecordMemberStripeFact':
      return decideStripeFact(command, state);
    case 'LapseMemberSubscription':
      return decideLapse(command, state);
    case 'StartOrChangeSubscription':
    case 'CancelSubscription':
    case 'RenewSubscription':
      return decideSubscription(command, state);
  }
}

function register(command: RegisterMember, state: MemberState): MemberEvent[] {
  if (state.kind !== 'absent') throw conflict('member-already-exists', 'This member already exists.');
  const { memberId, email, firstName, lastName, membershipTypeId, invite } = command;
  const status = invite ? 'pending' : 'active';
  return [{ type: 'MemberRegistered', data: { memberId, email, firstName, lastName, membershipTypeId, status } }];
}

function changeDetails(command: ChangeMemberDetails, member: Member): MemberEvent[] {
  const changed: Extract<MemberEvent, { type: 'MemberDetailsChanged' }>['data'] = {};
  if (command.email !== undefined && command.email !== member.email) changed.email = command.email;
  if (command.firstName !== undefined && command.firstName !== member.firstName) changed.firstName = command.firstName;
  if (command.lastName !== undefined && command.lastName !== member.lastName) changed.lastName = command.lastName;
  if (command.membershipTypeId !== undefined && command.membershipTypeId !== member.membershipTypeId) {
    changed.membershipTypeId = command.membershipTypeId;
  }
  return Object.keys(changed).length === 0 ? [] : [{ type: 'MemberDetailsChanged', data: changed }];
}

function deactivate(command: DeactivateMember, member: Member): MemberEvent[] {
  requireStatus(member, ['active', 'suspended'], 'member-not-active-or-suspended',
    'Only an active or suspended member can be deactivated.');
  const events: MemberEvent[] = [{ type: 'MemberDeactivated', data: { reason: command.reason } }];
  // Stripe-billed dues end when Stripe has cancelled them (the route asks it to, and its event
  // says so): ending them here alone would leave Stripe charging the member.
  if (member.subscription && member.subscription.billing !== 'stripe') {
    events.push({ type: 'SubscriptionCancelled', data: { reason: 'member-deactivated' } });
  }
  return events;
}
