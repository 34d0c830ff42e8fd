/**
 * The mail the platform sends (invitations first), in our own words: no nodemailer type crosses
 * this port, so the command API and the scheduler depend on neither SMTP nor the outbox.
 *
 * Which adapter answers is decided once, from config (DESIGN §12): SMTP when `SMTP_URL` is set
 * (`createSmtpMailSender`), otherwise the development outbox (`createDevelopmentOutbox`), which
 * keeps the mails in memory for `GET /v1/dev/outbox`, embedded only. See `mailSenderFrom`.
 */
export type OutgoingMail = { to: string; subject: string; text: string; html?: string };

/**
 * `send` resolves once the mail is handed over (accepted by the SMTP server, or kept by the
 * outbox) and rejects otherwise: callers decide whether and when to retry. `close` releases
 * connections at shutdown.
 */
export type MailSender = { send: (mail: OutgoingMail) => Promise<void>; close?: () => Promise<void> };
