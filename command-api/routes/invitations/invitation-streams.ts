import { z } from 'zod';
import { decideInvitation, evolveInvitation, initialInvitationState } from '../../../domain/invitation';
import { entityId, isoInstant } from '../../../domain/shared/schemas';
import { platformStreamId, tenantStreamId } from '../../../infra/event-store/stream-name';
import { hashInvitationToken, newInvitationToken } from '../../../infra/invitations/invitation-token';
import type { CommandContext } from '../../handle-command';
import type { StreamStates } from '../../stream-states';
import { claimValue } from '../../value-claims';
import { receipt } from '../command-receipt';

export const invitationDecider = { decide: decideInvitation, evolve: evolveInvitation, initialState: initialInvitationState };

export const invitationStream = (tenantId: string, invitationId: string) => tenantStreamId('invitation', tenantId, invitationId);

const tokenStream = (tokenHash: string) => platformStreamId('invitationtoken', tokenHash);

export const invitationParams = z.strictObject({ invitationId: entityId });

/** The answer of send and resend: the invitation, its member, until when its link works. */
export const invitationReplySchema = z.object({ invitationId: z.uuid(), memberId: z.uuid(), expiresAt: isoInstant, ...receipt });

export function invitationReply(
  invitationId: string, state: { memberId: string; expiresAt: string }, result: { revision: number; position: number }, status = 200,
) {
  return {
    status, revision: result.revision,
    body: { invitationId, memberId: state.memberId, expiresAt: state.expiresAt, revision: result.revision, position: result.position },
  };
}

export const expiryAfter = (now: string, ttlSeconds: number) => new Date(Date.parse(now) + ttlSeconds * 1000).toISOString();

/**
 * A new token, claimed for the invitation on a platform-wide stream named by its hash: the accept
 * request names no tenant, and the claim's event (tenant-stamped) says whose invitation it is.
 * The stream name is what makes a hash unique; 32 random bytes never collide in practice, so a
 * claim held by someone else is simply refused (409), never taken over.
 */
export async function issueToken(streams: StreamStates, invitationId: string, context: CommandContext) {
  const token = newInvitationToken();
  const tokenHash = hashInvitationToken(token);
  await claimValue(streams, {
    streamId: tokenStream(tokenHash), value: tokenHash, conflictCode: 'invitation-token-taken', holderDoesNotUseIt: async () => false,
  }, invitationId, context);
  return { token, tokenHash };
}

/** Whose invitation a token hash was issued for, or null (never issued: unknown or tampered). */
export async function invitationOfToken(streams: StreamStates, tokenHash: string) {
  const claimed = (await streams.store.readStream(tokenStream(tokenHash))).find((event) => event.type === 'ValueClaimed');
  return claimed ? { tenantId: claimed.tenantId, invitationId: (claimed.data as { ownerId: string }).ownerId } : null;
}
