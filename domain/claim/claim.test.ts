import { test } from 'uvu';
import { deciderSpec } from '../shared/decider-spec';
import { decideClaim, evolveClaim, initialClaimState, type ClaimEvent } from './index';

const spec = deciderSpec({ decide: decideClaim, evolve: evolveClaim, initialState: initialClaimState });
const ada = '0190a000-0000-7000-8000-000000000001';
const bob = '0190a000-0000-7000-8000-000000000002';
const cyd = '0190a000-0000-7000-8000-000000000003';
const valueHash = 'c0ffee';
const claim = (ownerId: string, replacing?: string) => ({
  type: 'ClaimValue', ownerId, value: 'ada@example.org', valueHash, conflictCode: 'email-already-used',
  ...(replacing === undefined ? {} : { replacing }),
}) as const;
const claimedBy = (ownerId: string): ClaimEvent => ({ type: 'ValueClaimed', data: { ownerId, valueHash } });

test('a free value is claimed under its hash; claiming it again for the same owner does nothing', () => {
  spec.given([]).when(claim(ada)).then([claimedBy(ada)]);
  spec.given([claimedBy(ada)]).when(claim(ada)).then([]);
});

test('a value held by someone else is refused with the caller’s code', () => {
  spec.given([claimedBy(ada)]).when(claim(bob)).thenRefuses('email-already-used');
});

test('a stale holder’s claim can be taken over, and a released value is free', () => {
  spec.given([claimedBy(ada)]).when(claim(bob, ada)).then([claimedBy(bob)]);
  spec.given([claimedBy(ada), { type: 'ValueReleased', data: { ownerId: ada } }]).when(claim(bob)).then([claimedBy(bob)]);
});

test('a takeover replaces only the holder it names: once another owner took the value, it is refused', () => {
  spec.given([claimedBy(ada), claimedBy(cyd)]).when(claim(bob, ada)).thenRefuses('email-already-used');
});

test('only the holder releases', () => {
  spec.given([claimedBy(ada)]).when({ type: 'ReleaseValue', ownerId: bob }).then([]);
  spec.given([claimedBy(ada)]).when({ type: 'ReleaseValue', ownerId: ada }).then([{ type: 'ValueReleased', data: { ownerId: ada } }]);
});

test.run();
