import { conflict, gone, notFound } from '../shared/domain-error';
import type { InvitationEvent } from './events';
import { statusAt, type Invitation, type InvitationState, type InvitationStatus } from './state';

export type SendInvitation = { type: 'SendInvitation'; invitationId: string; memberId: string; tokenHash: string; expiresAt: string };
export type ResendInvitation = { type: 'ResendInvitation'; tokenHash: string; expiresAt: string; now: string };
export type RevokeInvitation = { type: 'RevokeInvitation'; now: string };
export type AcceptInvitation = { type: 'AcceptInvitation'; tokenHash: string; now: string };
export type ExpireInvitation = { type: 'ExpireInvitation'; now: string };

export type InvitationCommand = SendInvitation | ResendInvitation | RevokeInvitation | AcceptInvitation | ExpireInvitation;

/** 404: no such invitation in this tenant, or a token that is not (or no longer) its token. */
export const invitationNotFound = () => notFound('invitation-not-found', 'No such invitation.');
/**
 * 409: revoke acts on a pending invitation only; resend on any but an accepted one (an expired or
 * revoked invitation is revived by a resend, the member having never joined).
 */
export const invitationNotPending = (status: InvitationStatus = 'accepted') =>
  conflict('invitation-not-pending', `Only a pending invitation can be changed. This invitation is ${status}.`);
/**
 * 409, not 410: the link did its work and the member joined; a client tells the invitee to sign
 * in, where a 410 (revoked, expired) means asking the tenant for a new invitation.
 */
export const invitationAlreadyAccepted = () => conflict('invitation-already-accepted', 'This invitation was already accepted.');
export const invitationRevoked = () => gone('invitation-revoked', 'This invitation was revoked.');
export const invitationExpired = () => gone('invitation-expired', 'This invitation has expired.');

export function decideInvitation(command: InvitationCommand, state: InvitationState): InvitationEvent[] {
  if (command.type === 'SendInvitation') {
    if (state.kind !== 'absent') throw conflict('invitation-already-exists', 'This invitation already exists.');
    const { invitationId, memberId, tokenHash, expiresAt } = command;
    return [{ type: 'InvitationSent', data: { invitationId, memberId, tokenHash, expiresAt } }];
  }
  if (state.kind === 'absent') throw invitationNotFound();
  const { memberId } = state;
  switch (command.type) {
    case 'ResendInvitation':
      // The member is still pending with the email claimed: the resend is how the tenant invites
      // them again once the invitation expired or was revoked. Only a used link is final.
      if (state.status === 'accepted') throw invitationNotPending('accepted');
      return [{ type: 'InvitationResent', data: { memberId, tokenHash: command.tokenHash, expiresAt: command.expiresAt } }];
    case 'RevokeInvitation':
      if (state.status === 'revoked') return [];
      requirePending(state, command.now);
      return [{ type: 'InvitationRevoked', data: { memberId } }];
    case 'AcceptInvitation':
      return accept(command, state);
    case 'ExpireInvitation':
      // Already ended, or not yet due: nothing to do (the scheduler may run twice, or on a stale read).
      if (state.status !== 'pending' || statusAt(state, command.now) !== 'expired') return [];
      return [{ type: 'InvitationExpired', data: { memberId, expiresAt: state.expiresAt } }];
  }
}

function requirePending(invitation: Invitation, now: string) {
  const status = statusAt(invitation, now);
  if (status !== 'pending') throw invitationNotPending(status);
}

function accept(command: AcceptInvitation, invitation: Invitation): InvitationEvent[] {
  // A superseded or tampered token names nothing: the same answer as an unknown one.
  if (command.tokenHash !== invitation.tokenHash) throw invitationNotFound();
  switch (statusAt(invitation, command.now)) {
    case 'accepted':
      throw invitationAlreadyAccepted();
    case 'revoked':
      throw invitationRevoked();
    case 'expired':
      throw invitationExpired();
    case 'pending':
      return [{ type: 'InvitationAccepted', data: { memberId: invitation.memberId } }];
  }
}
