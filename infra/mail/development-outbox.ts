import { randomUUID } from 'node:crypto';
import type { MailSender, OutgoingMail } from './port';

/** A mail as the outbox kept it: `sentAt` is ISO 8601 (UTC). */
export type OutboxMail = OutgoingMail & { id: string; sentAt: string };

export type DevelopmentOutbox = MailSender & {
  /** The kept mails, newest first; `to` keeps only those to that address (case-insensitive). */
  list: (filter?: { to?: string }) => OutboxMail[];
};

/**
 * The mail port of the embedded (development) mode, when no `SMTP_URL` is set (DESIGN §12):
 * nothing leaves the process, the last `keep` mails (default 200) are kept so that a developer, the
 * console or a test can read an invitation's link (`GET /v1/dev/outbox`).
 *
 * It holds personal data (addresses, names in the text, invitation tokens): only in memory, bounded,
 * lost at restart, and only for the embedded mode. A distributed deployment must set `SMTP_URL`.
 */
export function createDevelopmentOutbox(options: { keep?: number; now?: () => Date } = {}): DevelopmentOutbox {
  const keep = options.keep ?? 200;
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`the outbox must keep at least one mail (keep: ${keep})`);
  const now = options.now ?? (() => new Date());
  // Oldest first; the oldest drops out once `keep` is reached.
  const kept: OutboxMail[] = [];
  return {
    async send(mail) {
      kept.push({ ...copyOf(mail), id: randomUUID(), sentAt: now().toISOString() });
      if (kept.length > keep) kept.splice(0, kept.length - keep);
    },
    list(filter = {}) {
      const to = filter.to?.trim().toLowerCase();
      const newestFirst = kept.slice().reverse();
      const listed = to === undefined ? newestFirst : newestFirst.filter((mail) => mail.to.trim().toLowerCase() === to);
      // Copies: a reader (the dev route) cannot change what the outbox keeps.
      return listed.map((mail) => ({ ...mail }));
    },
  };
}

/** Only the port's fields, so that a caller's extra properties are not kept with the mail. */
function copyOf(mail: OutgoingMail): OutgoingMail {
  return { to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html === undefined ? {} : { html: mail.html }) };
}
