import { createDevelopmentOutbox, type DevelopmentOutbox } from './development-outbox';
import type { MailSender } from './port';
import { createSmtpMailSender } from './smtp-mail-sender';

/**
 * The one place that picks the mail adapter (DESIGN §12): SMTP when `SMTP_URL` is set, otherwise
 * the development outbox, returned as well so that the embedded mode can serve it
 * (`GET /v1/dev/outbox`). With SMTP there is no outbox, hence no route to read mails from. The
 * keys are those of `infra/config/config.ts`.
 */
export function mailSenderFrom(config: { SMTP_URL?: string; MAIL_FROM: string }): { sender: MailSender; outbox?: DevelopmentOutbox } {
  if (config.SMTP_URL) return { sender: createSmtpMailSender({ url: config.SMTP_URL, from: config.MAIL_FROM }) };
  const outbox = createDevelopmentOutbox();
  return { sender: outbox, outbox };
}
