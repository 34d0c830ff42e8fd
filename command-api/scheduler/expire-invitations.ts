import type { Pool } from 'pg';
import { handleCommand, type CommandContext } from '../handle-command';
import { invitationDecider, invitationStream } from '../routes/invitations/invitation-streams';
import type { StreamStates } from '../stream-states';

/** Invitations looked at per pass; a run makes passes until nothing due is left. */
const batch = 500;

/**
 * Pending invitations past their expiry get InvitationExpired (DESIGN §12), found in the read
 * model as the renewals are (due-work.ts: a stale row costs a no-op, the stream decides again).
 * The member stays pending: they never accepted. The email stays theirs, so a new invitation to
 * it is refused (email-taken); a resend revives this one instead (pending again, a new link and
 * expiry), or the tenant activates them by hand.
 */
export async function expireInvitations(
  streams: StreamStates, pool: Pick<Pool, 'query'>, now: string,
  context: (tenantId: string) => CommandContext, onError: (error: unknown) => void,
): Promise<number> {
  let expired = 0;
  const seen = new Set<string>();
  for (;;) {
    const { rows } = await pool.query(
      `SELECT tenant_id, invitation_id FROM rm_invitations WHERE status = 'pending' AND expires_at <= $1
        ORDER BY expires_at LIMIT $2`, [now, batch]);
    // Rows this run already expired come back until projected; they are skipped.
    const due = rows.filter((row) => !seen.has(row.invitation_id));
    if (due.length === 0) return expired;
    for (const { tenant_id: tenantId, invitation_id: invitationId } of due) {
      seen.add(invitationId);
      try {
        const result = await handleCommand(streams, invitationStream(tenantId, invitationId), invitationDecider,
          { type: 'ExpireInvitation', now }, context(tenantId));
        if (result.changed) expired += 1;
      } catch (error) {
        onError(error);
      }
    }
  }
}
