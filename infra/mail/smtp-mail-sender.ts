import { createTransport } from 'nodemailer';
import type { MailSender } from './port';

export type SmtpMailSenderOptions = {
  /** `smtp://user:pass@host:port` or `smtps://…` (implicit TLS); credentials in the URL are used for AUTH. */
  url: string;
  /** The From header, e.g. `Membership platform <no-reply@example.org>`; its address is also the envelope sender. */
  from: string;
  /**
   * Bound on connecting, on waiting for the greeting and on a silent socket, in ms (default 5 s).
   * Without it an SMTP server that accepts the connection and then says nothing would hold the
   * caller (an invitation request) for minutes: nodemailer's own defaults are 30 s to 10 minutes.
   */
  timeoutMs?: number;
};

/**
 * The mail port on SMTP (DESIGN §12), through a pooled nodemailer transport: connections are
 * reused between mails instead of one TCP + TLS + AUTH handshake per invitation. A mail the server
 * does not accept rejects `send`; nothing here retries or queues beyond the pool, so that the
 * caller (which knows whether a mail may be sent twice) decides.
 */
export function createSmtpMailSender(options: SmtpMailSenderOptions): MailSender {
  const timeout = options.timeoutMs ?? 5_000;
  const transport = createTransport({
    url: options.url,
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
    // A connection dropped in the middle of a mail is not requeued: the server may already have
    // accepted it, and a silent second attempt would be a duplicate the caller did not choose.
    maxRequeues: 0,
  });
  return {
    async send(mail) {
      await transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html === undefined ? {} : { html: mail.html }),
      });
    },
    async close() {
      // Idle connections close at once; one delivering a mail finishes it first.
      transport.close();
    },
  };
}
