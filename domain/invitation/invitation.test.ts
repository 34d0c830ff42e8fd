import { test } from 'uvu';
import { deciderSpec } from '../shared/decider-spec';
import { decideInvitation, evolveInvitation, initialInvitationState, type InvitationEvent } from './index';

const spec = deciderSpec({ decide: decideInvitation, evolve: evolveInvitation, initialState: initialInvitationState });
const invitationId = '0190a000-0000-7000-8000-0000000000a1';
const memberId = '0190a000-0000-7000-8000-000000000001';
const first = 'a'.repeat(64);
const second = 'b'.repeat(64);
const expiresAt = '2026-12-09T12:00:00.000Z';
const before = '2026-12-05T12:00:00.000Z';
const after = '2026-12-10T12:00:00.000Z';
const sent: InvitationEvent = { type: 'InvitationSent', data: { invitationId, memberId, tokenHash: first, expiresAt } };
const resent: InvitationEvent = { type: 'InvitationResent', data: { memberId, tokenHash: second, expiresAt: '2026-12-12T12:00:00.000Z' } };
const revoked: InvitationEvent = { type: 'InvitationRevoked', data: { memberId } };
const accepted: InvitationEvent = { type: 'InvitationAccepted', data: { memberId } };
const expired: InvitationEvent = { type: 'InvitationExpired', data: { memberId, expiresAt } };
const accept = (tokenHash: string, now = before) => ({ type: 'AcceptInvitation', tokenHash, now }) as const;

test('an invitation is sent once, with the token’s hash and the member', () => {
  spec.given([]).when({ type: 'SendInvitation', invitationId, memberId, tokenHash: first, expiresAt }).then([sent]);
  spec.given([sent]).when({ type: 'SendInvitation', invitationId, memberId, tokenHash: second, expiresAt })
    .thenRefuses('invitation-already-exists');
});

test('the current token accepts a pending invitation before it expires; an unknown one is not found', () => {
  spec.given([sent]).when(accept(first)).then([accepted]);
  spec.given([sent]).when(accept(second)).thenRefuses('invitation-not-found');
  spec.given([]).when(accept(first)).thenRefuses('invitation-not-found');
});

test('a resend replaces the token: the old one stops working, the new one accepts until the new expiry', () => {
  spec.given([sent]).when({ type: 'ResendInvitation', tokenHash: second, expiresAt: '2026-12-12T12:00:00.000Z', now: before })
    .then([resent]);
  spec.given([sent, resent]).when(accept(first)).thenRefuses('invitation-not-found');
  spec.given([sent, resent]).when(accept(second, after)).then([accepted]);
});

test('accepted, revoked and expired invitations refuse the token, each with its own code', () => {
  spec.given([sent, accepted]).when(accept(first)).thenRefuses('invitation-already-accepted');
  spec.given([sent, revoked]).when(accept(first)).thenRefuses('invitation-revoked');
  spec.given([sent, expired]).when(accept(first)).thenRefuses('invitation-expired');
  // Past its expiry before the scheduler has said so: expired all the same.
  spec.given([sent]).when(accept(first, after)).thenRefuses('invitation-expired');
  spec.given([sent, accepted]).when(accept(first, after)).thenRefuses('invitation-already-accepted');
});

test('an expired or revoked invitation is resent: pending again, its new token accepts, the old one names nothing', () => {
  const resend = { type: 'ResendInvitation', tokenHash: second, expiresAt: '2026-12-12T12:00:00.000Z', now: after } as const;
  spec.given([sent, expired]).when(resend).then([resent]);
  spec.given([sent, revoked]).when({ ...resend, now: before }).then([resent]);
  // Past its expiry before the scheduler has said so: resent all the same.
  spec.given([sent]).when(resend).then([resent]);
  for (const ended of [expired, revoked]) {
    spec.given([sent, ended, resent]).when(accept(second, after)).then([accepted]);
    spec.given([sent, ended, resent]).when(accept(first, after)).thenRefuses('invitation-not-found');
    spec.given([sent, ended, resent]).when({ type: 'RevokeInvitation', now: after }).then([revoked]);
    spec.given([sent, ended, resent]).when({ type: 'ExpireInvitation', now: after }).then([]);
  }
  spec.given([sent, expired, resent]).when({ type: 'ExpireInvitation', now: '2026-12-12T12:00:00.000Z' })
    .then([{ type: 'InvitationExpired', data: { memberId, expiresAt: '2026-12-12T12:00:00.000Z' } }]);
});

test('an accepted invitation is never resent; only a pending one is revoked; revoking twice does nothing', () => {
  const resend = { type: 'ResendInvitation', tokenHash: second, expiresAt, now: before } as const;
  spec.given([sent, accepted]).when(resend).thenRefuses('invitation-not-pending');
  spec.given([sent, accepted]).when({ ...resend, now: after }).thenRefuses('invitation-not-pending');
  spec.given([]).when(resend).thenRefuses('invitation-not-found');
  spec.given([sent]).when({ type: 'RevokeInvitation', now: before }).then([revoked]);
  spec.given([sent, revoked]).when({ type: 'RevokeInvitation', now: before }).then([]);
  spec.given([sent, accepted]).when({ type: 'RevokeInvitation', now: before }).thenRefuses('invitation-not-pending');
  spec.given([sent, expired]).when({ type: 'RevokeInvitation', now: after }).thenRefuses('invitation-not-pending');
  spec.given([]).when({ type: 'RevokeInvitation', now: before }).thenRefuses('invitation-not-found');
});

test('the scheduler expires a pending invitation past its expiry, once; anything else is left alone', () => {
  spec.given([sent]).when({ type: 'ExpireInvitation', now: after }).then([expired]);
  spec.given([sent]).when({ type: 'ExpireInvitation', now: before }).then([]);
  spec.given([sent, expired]).when({ type: 'ExpireInvitation', now: after }).then([]);
  spec.given([sent, accepted]).when({ type: 'ExpireInvitation', now: after }).then([]);
  spec.given([sent, revoked]).when({ type: 'ExpireInvitation', now: after }).then([]);
  spec.given([sent, resent]).when({ type: 'ExpireInvitation', now: after }).then([]);
});

test.run();
