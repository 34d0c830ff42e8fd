import { z } from 'zod';
import type { EventDefinition } from '../shared/event';
import { entityId, isoInstant } from '../shared/schemas';

/**
 * An invitation to become an active member (DESIGN §12). Its events never hold the invitee's email
 * nor the token: the member's stream has the email, and only the SHA-256 of the token (hex) is
 * kept, so the log cannot be used to accept an invitation.
 */
export const invitationTokenHash = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 in lower-case hex');

export const invitationSentSchema = z.object({
  invitationId: entityId,
  memberId: entityId,
  tokenHash: invitationTokenHash,
  expiresAt: isoInstant,
});
/**
 * A new token (the previous one stops working) and a new expiry; the invitation is pending again,
 * whether it was pending, expired or revoked (never recorded after an acceptance).
 */
export const invitationResentSchema = z.object({ memberId: entityId, tokenHash: invitationTokenHash, expiresAt: isoInstant });
const ofMember = z.object({ memberId: entityId });
export const invitationExpiredSchema = z.object({ memberId: entityId, expiresAt: isoInstant });

export type InvitationEvent =
  | { type: 'InvitationSent'; data: z.infer<typeof invitationSentSchema> }
  | { type: 'InvitationResent'; data: z.infer<typeof invitationResentSchema> }
  | { type: 'InvitationRevoked'; data: z.infer<typeof ofMember> }
  | { type: 'InvitationAccepted'; data: z.infer<typeof ofMember> }
  | { type: 'InvitationExpired'; data: z.infer<typeof invitationExpiredSchema> };

export const invitationEventDefinitions: Record<InvitationEvent['type'], EventDefinition> = {
  InvitationSent: { schemaVersion: 1, schema: invitationSentSchema },
  InvitationResent: { schemaVersion: 1, schema: invitationResentSchema },
  InvitationRevoked: { schemaVersion: 1, schema: ofMember },
  InvitationAccepted: { schemaVersion: 1, schema: ofMember },
  InvitationExpired: { schemaVersion: 1, schema: invitationExpiredSchema },
};
