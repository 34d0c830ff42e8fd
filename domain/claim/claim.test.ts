import { test } from 'uvu';
import { deciderSpec } from '../shared/decider-spec';
import { decideClaim, evolveClaim, initialClaimState, type ClaimEvent } from './index';

const spec = deciderSpec({ decide: decideClaim, evolve: evolveClaim, initialState: initialClaimState });
const ada = '0190a000-0000-7000-8000-000000000001';
const bob = '0190a000-0000-7000-8000-000000000002';
const claim = (ownerId: string, holderIsStale = false) =>
  ({ type: 'ClaimValue', ownerId, value: 'ada@example.org', holderIsStale, conflictCode: 'email-already-used' }) as const;
const claimedByAda: ClaimEvent = { type: 'ValueClaimed', data: { ownerId: ada, value: 'ada@example.org' } };

test('a free value is claimed; claiming it again for the same owner does nothing', () => {
  spec.given([]).when(claim(ada)).then([claimedByAda]);
  spec.given([claimedByAda]).when(claim(ada)).then([]);
});

test('a value held by someone else is refused with the caller’s code', () => {
  spec.given([claimedByAda]).when(claim(bob)).thenRefuses('email-already-used');
});

test('a stale holder’s claim can be taken over, and a released value is free', () => {
  spec.given([claimedByAda]).when(claim(bob, true))
    .then([{ type: 'ValueClaimed', data: { ownerId: bob, value: 'ada@example.org' } }]);
  spec.given([claimedByAda, { type: 'ValueReleased', data: { ownerId: ada } }]).when(claim(bob))
    .then([{ type: 'ValueClaimed', data: { ownerId: bob, value: 'ada@example.org' } }]);
});

test('only the holder releases', () => {
  spec.given([claimedByAda]).when({ type: 'ReleaseValue', ownerId: bob }).then([]);
  spec.given([claimedByAda]).when({ type: 'ReleaseValue', ownerId: ada }).then([{ type: 'ValueReleased', data: { ownerId: ada } }]);
});

test.run();
