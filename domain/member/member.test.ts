import { test } from 'uvu';
import { deciderSpec } from '../shared/decider-spec';
import { decideMember, evolveMember, initialMemberState, type MemberCommand, type MemberEvent } from './index';

const spec = deciderSpec({ decide: decideMember, evolve: evolveMember, initialState: initialMemberState });
const memberId = '0190a000-0000-7000-8000-000000000001';
const registered = (status: 'active' | 'pending' = 'active'): MemberEvent => ({
  type: 'MemberRegistered',
  data: { memberId, email: 'ada@example.org', firstName: 'Ada', lastName: 'Lovelace', membershipTypeId: null, status },
});
const register = (invite: boolean): MemberCommand => ({
  type: 'RegisterMember', memberId, email: 'ada@example.org', firstName: 'Ada', lastName: 'Lovelace',
  membershipTypeId: null, invite,
});

test('a new member is active, or pending when invited', () => {
  spec.given([]).when(register(false)).then([registered('active')]);
  spec.given([]).when(register(true)).then([registered('pending')]);
});

test('a member cannot be registered twice', () => {
  spec.given([registered()]).when(register(false)).thenRefuses('member-already-exists');
});

test('commands on an unknown member are refused as not found', () => {
  spec.given([]).when({ type: 'SuspendMember', reason: 'x' }).thenRefuses('member-not-found');
});

test('pending → active by activation, and only from pending', () => {
  spec.given([registered('pending')]).when({ type: 'ActivateMember' }).then([{ type: 'MemberActivated', data: {} }]);
  spec.given([registered('active')]).when({ type: 'ActivateMember' }).thenRefuses('member-not-pending');
});

test('active ⇄ suspended', () => {
  spec.given([registered()]).when({ type: 'SuspendMember', reason: 'unpaid' })
    .then([{ type: 'MemberSuspended', data: { reason: 'unpaid' } }]);
  const suspended: MemberEvent = { type: 'MemberSuspended', data: { reason: 'unpaid' } };
  spec.given([registered(), suspended]).when({ type: 'ReactivateMember' }).then([{ type: 'MemberReactivated', data: {} }]);
  spec.given([registered(), suspended]).when({ type: 'SuspendMember', reason: 'again' }).thenRefuses('member-not-active');
  spec.given([registered('pending')]).when({ type: 'SuspendMember', reason: 'x' }).thenRefuses('member-not-active');
});

test('active or suspended → inactive, inactive → active; nothing else', () => {
  const deactivated: MemberEvent = { type: 'MemberDeactivated', data: { reason: 'left' } };
  spec.given([registered()]).when({ type: 'DeactivateMember', reason: 'left' }).then([deactivated]);
  spec.given([registered(), { type: 'MemberSuspended', data: { reason: 'x' } }])
    .when({ type: 'DeactivateMember', reason: 'left' }).then([deactivated]);
  spec.given([registered(), deactivated]).when({ type: 'DeactivateMember', reason: 'again' })
    .thenRefuses('member-not-active-or-suspended');
  spec.given([registered(), deactivated]).when({ type: 'SuspendMember', reason: 'x' }).thenRefuses('member-not-active');
  spec.given([registered(), deactivated]).when({ type: 'ReactivateMember' }).then([{ type: 'MemberReactivated', data: {} }]);
  spec.given([registered()]).when({ type: 'ReactivateMember' }).thenRefuses('member-not-suspended-or-inactive');
  spec.given([registered('pending')]).when({ type: 'DeactivateMember', reason: 'x' })
    .thenRefuses('member-not-active-or-suspended');
});

test('changing details records only what changed, and nothing when nothing did', () => {
  spec.given([registered()]).when({ type: 'ChangeMemberDetails', firstName: 'Augusta', lastName: 'Lovelace' })
    .then([{ type: 'MemberDetailsChanged', data: { firstName: 'Augusta' } }]);
  spec.given([registered()]).when({ type: 'ChangeMemberDetails', email: 'ada@example.org' }).then([]);
});

test('evolve never throws on an event that does not apply', () => {
  const state = evolveMember(initialMemberState, { type: 'MemberSuspended', data: { reason: 'x' } });
  if (state.kind !== 'absent') throw new Error('expected the state to stay absent');
});

test.run();
