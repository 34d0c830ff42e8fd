import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mailSenderFrom } from './mail-sender-from-config';
import { startTestSmtpServer } from './test-smtp-server';

const invitation = { to: 'ada@example.org', subject: 'You are invited', text: 'link' };

test('without SMTP_URL the mail goes to the development outbox, which is returned to be served', async () => {
  const { sender, outbox } = mailSenderFrom({ MAIL_FROM: 'Club <no-reply@example.org>' });
  assert.ok(outbox);
  await sender.send(invitation);
  assert.equal(outbox.list().map((kept) => kept.to), ['ada@example.org']);
});

test('with SMTP_URL the mail goes over SMTP from MAIL_FROM, and there is no outbox', async () => {
  const server = await startTestSmtpServer();
  const { sender, outbox } = mailSenderFrom({ SMTP_URL: `smtp://127.0.0.1:${server.port}`, MAIL_FROM: 'Club <no-reply@example.org>' });
  try {
    assert.is(outbox, undefined);
    await sender.send(invitation);
    assert.is(server.received.length, 1);
    assert.is(server.received[0]?.headers.get('from'), 'Club <no-reply@example.org>');
    assert.equal(server.received[0]?.rcptTo, ['ada@example.org']);
  } finally {
    await sender.close?.();
    await server.stop();
  }
});

test.run();
