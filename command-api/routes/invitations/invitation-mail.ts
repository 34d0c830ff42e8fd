import type { MailSender, OutgoingMail } from '../../../infra/mail/port';
import { invitationLink } from '../../../infra/invitations/invitation-token';
import { HttpProblem } from '../../../infra/http/problem';

/** How invitations are sent (DESIGN §12): INVITATION_ACCEPT_URL, INVITATION_TTL_SECONDS, the mail port. */
export type InvitationSettings = { mail: MailSender; acceptUrl: string; ttlSeconds: number };

/** 503: the invitation is recorded but its mail did not go; a resend sends a new link. */
export const mailUnavailable = (invitationId = '') => new HttpProblem(503, 'mail-unavailable', 'Service unavailable',
  'The invitation is recorded but its mail could not be sent; send it again with POST /v1/invitations/:invitationId/resend.',
  undefined, {}, invitationId ? { invitationId } : {});

export type InvitationMail = { to: string; firstName: string; tenantName: string; token: string; expiresAt: string; invitationId: string };

export function invitationMail(settings: InvitationSettings, mail: InvitationMail): OutgoingMail {
  const link = invitationLink(settings.acceptUrl, mail.token);
  return {
    to: mail.to,
    subject: `You are invited to join ${mail.tenantName}`,
    text: `Hello ${mail.firstName},\n\n${mail.tenantName} invites you to become a member. Accept the invitation here:\n\n${link}\n\n`
      + `The link works until ${mail.expiresAt}. If you did not expect this mail, ignore it.\n`,
  };
}

/** Hands the mail to the port; a failure leaves the invitation as recorded and answers 503. */
export async function sendInvitationMail(settings: InvitationSettings, mail: InvitationMail) {
  try {
    await settings.mail.send(invitationMail(settings, mail));
  } catch (error) {
    // The cause goes to the log with the 503 (problem.ts logs 5xx), never to the client.
    throw Object.assign(mailUnavailable(mail.invitationId), { cause: error });
  }
}
