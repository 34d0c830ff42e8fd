import { assertNever } from '../shared/event';
import type { InvitationEvent } from './events';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export type Invitation = {
  kind: 'sent';
  invitationId: string;
  memberId: string;
  /** The hash of the one token that works: a resend replaces it. */
  tokenHash: string;
  expiresAt: string;
  status: InvitationStatus;
};

export type InvitationState = { kind: 'absent' } | Invitation;

export const initialInvitationState: InvitationState = { kind: 'absent' };

export function evolveInvitation(state: InvitationState, event: InvitationEvent): InvitationState {
  switch (event.type) {
    case 'InvitationSent': {
      const { invitationId, memberId, tokenHash, expiresAt } = event.data;
      return { kind: 'sent', invitationId, memberId, tokenHash, expiresAt, status: 'pending' };
    }
    case 'InvitationResent':
      // Pending again, also after an expiry or a revocation (resend revives those); never decided after an acceptance.
      return state.kind === 'sent'
        ? { ...state, tokenHash: event.data.tokenHash, expiresAt: event.data.expiresAt, status: 'pending' }
        : state;
    case 'InvitationRevoked':
      return state.kind === 'sent' ? { ...state, status: 'revoked' } : state;
    case 'InvitationAccepted':
      return state.kind === 'sent' ? { ...state, status: 'accepted' } : state;
    case 'InvitationExpired':
      return state.kind === 'sent' ? { ...state, status: 'expired' } : state;
    default:
      return assertNever(event);
  }
}

/** Pending past its expiry counts as expired before the scheduler has said so. */
export function statusAt(invitation: Invitation, now: string): InvitationStatus {
  return invitation.status === 'pending' && Date.parse(now) >= Date.parse(invitation.expiresAt) ? 'expired' : invitation.status;
}
