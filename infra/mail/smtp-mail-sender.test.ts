import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findFreePort } from '../postgres/free-port';
import { createSmtpMailSender } from './smtp-mail-sender';
import { startTestSmtpServer } from './test-smtp-server';

const from = 'Membership platform <no-reply@example.org>';
const invitation = { to: 'ada@example.org', subject: 'You are invited to Chess Club', text: 'Accept here: http://127.0.0.1/accept?token=abc\r\n' };

test('a mail reaches the SMTP server with our From, its To, Subject and text', async () => {
  const server = await startTestSmtpServer();
  const sender = createSmtpMailSender({ url: `smtp://127.0.0.1:${server.port}`, from });
  try {
    await sender.send(invitation);
    await sender.send({ ...invitation, to: 'grace@example.org', html: '<p>Accept</p>' });
    const [first, second] = server.received;
    assert.is(first?.mailFrom, 'no-reply@example.org');
    assert.equal(first?.rcptTo, ['ada@example.org']);
    assert.is(first?.headers.get('from'), from);
    assert.is(first?.headers.get('to'), 'ada@example.org');
    assert.is(first?.headers.get('subject'), invitation.subject);
    assert.ok(first?.headers.get('content-type')?.startsWith('text/plain'));
    assert.is(first?.body.trimEnd(), invitation.text.trimEnd());
    // With html the mail is multipart/alternative and carries both.
    assert.equal(second?.rcptTo, ['grace@example.org']);
    assert.ok(second?.headers.get('content-type')?.startsWith('multipart/alternative'));
    assert.ok(second?.body.includes('Accept here: http://127.0.0.1/accept?token=abc'));
    assert.ok(second?.body.includes('<p>Accept</p>'));
  } finally {
    await sender.close?.();
    await server.stop();
  }
});

test('the credentials in SMTP_URL are used for AUTH, and a wrong password rejects', async () => {
  const server = await startTestSmtpServer({ credentials: { user: 'mailer', pass: 's3cret' } });
  const good = createSmtpMailSender({ url: `smtp://mailer:s3cret@127.0.0.1:${server.port}`, from });
  const wrong = createSmtpMailSender({ url: `smtp://mailer:nope@127.0.0.1:${server.port}`, from });
  const anonymous = createSmtpMailSender({ url: `smtp://127.0.0.1:${server.port}`, from });
  try {
    await good.send(invitation);
    assert.is(server.received.length, 1);
    assert.is(server.received[0]?.user, 'mailer');
    assert.ok(await rejectionOf(wrong.send(invitation)));
    assert.ok(await rejectionOf(anonymous.send(invitation)));
    assert.is(server.received.length, 1);
  } finally {
    await Promise.all([good.close?.(), wrong.close?.(), anonymous.close?.()]);
    await server.stop();
  }
});

test('a closed port rejects at once', async () => {
  const port = await findFreePort();
  const sender = createSmtpMailSender({ url: `smtp://127.0.0.1:${port}`, from, timeoutMs: 1_000 });
  try {
    const started = Date.now();
    const error = await rejectionOf(sender.send(invitation));
    assert.ok(error, 'send must reject');
    assert.ok(Date.now() - started < 1_000, `rejected after ${Date.now() - started} ms`);
  } finally {
    await sender.close?.();
  }
});

test('a server that accepts the connection but never greets rejects within the timeout', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => { sockets.push(socket); });
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  const port = (silent.address() as { port: number }).port;
  const sender = createSmtpMailSender({ url: `smtp://127.0.0.1:${port}`, from, timeoutMs: 300 });
  try {
    const started = Date.now();
    const error = await rejectionOf(sender.send(invitation));
    const elapsed = Date.now() - started;
    assert.ok(error, 'send must reject');
    assert.ok(elapsed >= 250 && elapsed < 2_000, `rejected after ${elapsed} ms`);
  } finally {
    await sender.close?.();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

async function rejectionOf(promise: Promise<unknown>): Promise<Error | undefined> {
  return promise.then(() => undefined, (error: Error) => error);
}

test.run();
