import { createHash, randomBytes } from 'node:crypto';

/**
 * Invitation tokens (DESIGN §12): 32 random bytes, base64url, sent only in the mail's link. Only
 * their SHA-256 is stored (events, the token's claim stream, the read model), so neither the log
 * nor a copy of the database can accept an invitation.
 */
export const newInvitationToken = () => randomBytes(32).toString('base64url');

/** Lower-case hex: the form the events and the read model keep. */
export const hashInvitationToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * The accept page with the token in the fragment: browsers never send a fragment to a server, so
 * the token stays out of access logs and Referer headers; the page posts it to
 * `POST /v1/invitations/accept`.
 */
export function invitationLink(acceptUrl: string, token: string) {
  const url = new URL(acceptUrl);
  url.hash = `token=${token}`;
  return url.toString();
}

/** The tokens of the invitation links in a mail's text (the development outbox shows a tenant its own mails by them). */
export function invitationTokensIn(text: string): string[] {
  return [...text.matchAll(/#token=([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g)].map((match) => match[1]!);
}
