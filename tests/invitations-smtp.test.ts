import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { startTestSmtpServer, type TestSmtpServer } from '../infra/mail/test-smtp-server';
import { createTestDatabase, testQueryRole, type TestDatabase } from '../infra/postgres/test-database';
import { buildEmbeddedPlatform, type EmbeddedPlatform } from '../scripts/platform/build-platform';
import { testJwtSecret } from './platform-harness';

type Context = { smtp: TestSmtpServer; database: TestDatabase; platform: EmbeddedPlatform };
const test = suite<Context>('invitations mailed over SMTP (SMTP_URL set)');
const acceptUrl = 'https://console.example.org/accept';

test.before(async (context) => {
  context.smtp = await startTestSmtpServer();
  context.database = await createTestDatabase();
  context.platform = await buildEmbeddedPlatform({
    databaseUrl: context.database.url, queryDatabaseUrl: context.database.queryUrl, ...testQueryRole, jwtSecret: testJwtSecret,
    consistencyTimeoutMs: 3000, logger: false, rateLimitPerSecond: 10_000,
    invitations: { smtpUrl: `smtp://127.0.0.1:${context.smtp.port}`, mailFrom: 'Club <club@example.org>', acceptUrl },
  });
});
test.after(async ({ smtp, database, platform }) => {
  await platform.close();
  await database.drop();
  await smtp.stop();
});

/** The mail's text as sent: quoted-printable soft breaks and escapes undone. */
const decoded = (body: string) => body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));

test('the invitation goes out over SMTP with its link; there is no development outbox; a mail server down is 503 mail-unavailable, the invitation kept', async ({ smtp, platform }) => {
  const command = (url: string, token: string, payload: object) =>
    platform.commandApi.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload });
  const operator = await platform.tokens.sign({ userId: 'operator', tenantId: uuidv7(), roles: ['platform'] });
  const tenant = await command('/v1/tenants', operator, { name: 'Rowing Club', subdomain: `t${uuidv7().slice(-12)}`, plan: 'pro' });
  const tenantId = tenant.json().tenantId as string;
  const owner = await platform.tokens.sign({ userId: 'owner', tenantId, roles: ['owner'] });

  const sent = await command('/v1/invitations', owner, { email: 'sam@example.org', firstName: 'Sam', lastName: 'Oar' });
  assert.is(sent.statusCode, 201, sent.body);
  assert.is(smtp.received.length, 1);
  const [mail] = smtp.received;
  assert.equal(mail!.rcptTo, ['sam@example.org']);
  assert.is(mail!.mailFrom, 'club@example.org');
  assert.match(mail!.headers.get('subject') ?? '', 'Rowing Club');
  const token = /#token=([A-Za-z0-9_-]{43})/.exec(decoded(mail!.body));
  assert.ok(token && decoded(mail!.body).includes(`${acceptUrl}#token=${token[1]}`), mail!.body);
  const accepted = await platform.commandApi.inject({ method: 'POST', url: '/v1/invitations/accept', payload: { token: token![1] } });
  assert.is(accepted.statusCode, 200, accepted.body);

  const outbox = await platform.queryApi.inject({ url: '/v1/dev/outbox', headers: { authorization: `Bearer ${owner}` } });
  assert.is(outbox.statusCode, 404);
  assert.is(outbox.json().code, 'route-not-found');

  await smtp.stop();
  const unsent = await command('/v1/invitations', owner, { email: 'tim@example.org', firstName: 'Tim', lastName: 'Oar' });
  assert.is(unsent.statusCode, 503, unsent.body);
  assert.is(unsent.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.is(unsent.json().code, 'mail-unavailable');
  const invitationId = unsent.json().invitationId as string;
  const events = await platform.eventStore.readStream(`invitation-${tenantId}_${invitationId}`);
  assert.equal(events.map((e) => e.type), ['InvitationSent'], 'recorded: a resend mails a new link');
});

test.run();
