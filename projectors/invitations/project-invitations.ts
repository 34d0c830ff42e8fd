import type { EventEnvelope } from '../../infra/event-store/port';
import { entityIdOfStream } from '../../infra/event-store/stream-name';
import type { SqlStatement } from '../runtime/projection';

const statusAfter: Record<string, string> = {
  InvitationRevoked: 'revoked', InvitationAccepted: 'accepted', InvitationExpired: 'expired',
};

/**
 * Invitations list (rm_invitations). Each update applies only over an older revision of the row,
 * so a redelivered or replayed event changes nothing twice.
 */
export function projectInvitations(event: EventEnvelope): SqlStatement[] {
  if (!event.type.startsWith('Invitation')) return [];
  const data = event.data as Record<string, any>;
  const invitationId = entityIdOfStream(event.streamId);
  const update = (set: string, values: unknown[]): SqlStatement[] => [{
    text: `UPDATE rm_invitations SET ${set}, revision = $3 WHERE tenant_id = $1 AND invitation_id = $2 AND revision < $3`,
    values: [event.tenantId, invitationId, event.streamRevision, ...values],
  }];
  switch (event.type) {
    case 'InvitationSent':
      return [{
        text: `INSERT INTO rm_invitations (tenant_id, invitation_id, member_id, status, token_hashes, sent_at, expires_at, revision)
               VALUES ($1, $2, $3, 'pending', ARRAY[$4::text], $5, $6, $7) ON CONFLICT DO NOTHING`,
        values: [event.tenantId, invitationId, data.memberId, data.tokenHash, event.occurredAt, data.expiresAt, event.streamRevision],
      }];
    case 'InvitationResent':
      // A resend revives an expired or revoked invitation: pending again, listed and expirable as such.
      return update(`status = 'pending', token_hashes = array_append(token_hashes, $4::text), sent_at = $5, expires_at = $6`,
        [data.tokenHash, event.occurredAt, data.expiresAt]);
    case 'InvitationAccepted':
      return update('status = $4, accepted_at = $5', [statusAfter[event.type], event.occurredAt]);
    case 'InvitationRevoked':
    case 'InvitationExpired':
      return update('status = $4', [statusAfter[event.type]]);
    default:
      return [];
  }
}
