import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from './platform-harness';

const test = suite<{ h: Harness }>('invitations through both APIs');
test.before(async (context) => {
  context.h = await startHarness();
});
test.after(async ({ h }) => h.close());

const acceptUrl = 'http://127.0.0.1:3001/console/accept.html';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const after = (position: number) => ({ 'x-consistency-position': String(position) });

async function invite(h: Harness, owner: string, email: string) {
  const reply = await h.command('POST', '/v1/invitations', owner, { email, firstName: 'Ada', lastName: 'Lovelace' });
  assert.is(reply.status, 201, reply.text);
  return reply.body as { invitationId: string; memberId: string; expiresAt: string; revision: number; position: number };
}

/** The tenant's mails as GET /v1/dev/outbox shows them, once the invitation at `position` is projected. */
async function outbox(h: Harness, owner: string, position: number) {
  const reply = await h.query('/v1/dev/outbox', owner, after(position));
  assert.is(reply.status, 200, reply.text);
  return reply.body.items as { to: string; subject: string; text: string }[];
}

const tokenIn = (text: string) => {
  const match = /#token=([A-Za-z0-9_-]{43})/.exec(text);
  assert.ok(match, `a link with a token in: ${text}`);
  return match![1]!;
};
const accept = (h: Harness, token: unknown) => h.command('POST', '/v1/invitations/accept', '', { token });

test('invite → the mail carries the accept link → accept → the member is active', async ({ h }) => {
  const { owner } = await h.createTenant('Chess Club');
  const sent = await invite(h, owner, 'ada@example.org');
  assert.ok(Date.parse(sent.expiresAt) - Date.now() > 6.9 * 86400_000, 'expires in INVITATION_TTL_SECONDS (7 days by default)');
  const pending = await h.query(`/v1/members/${sent.memberId}`, owner, after(sent.position));
  assert.is(pending.body.status, 'pending');
  const [mail, ...others] = await outbox(h, owner, sent.position);
  assert.is(others.length, 0);
  assert.is(mail!.to, 'ada@example.org');
  assert.match(mail!.subject, 'Chess Club');
  assert.ok(mail!.text.includes(`${acceptUrl}#token=`), mail!.text);
  const token = tokenIn(mail!.text);

  const accepted = await accept(h, token);
  assert.is(accepted.status, 200, accepted.text);
  assert.is(accepted.body.memberId, sent.memberId);
  const member = await h.query(`/v1/members/${sent.memberId}`, owner, after(accepted.body.position));
  assert.is(member.body.status, 'active');
  assert.is(member.body.revision, accepted.body.revision);

  // The link did its work: a second use is refused, and changes nothing.
  const again = await accept(h, token);
  assert.is(again.status, 409, again.text);
  assert.is(again.body.code, 'invitation-already-accepted');
  const listed = await h.query('/v1/invitations?status=accepted', owner, after(accepted.body.position));
  assert.equal(listed.body.items.map((i: any) => [i.invitationId, i.memberId, i.email, i.status]),
    [[sent.invitationId, sent.memberId, 'ada@example.org', 'accepted']]);
  assert.type(listed.body.items[0].acceptedAt, 'string');
});

test('the log keeps neither the email nor the token of an invitation, only the token’s hash; the member is activated by the invitation', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant();
  const sent = await invite(h, owner, 'grace@example.org');
  const token = tokenIn((await outbox(h, owner, sent.position))[0]!.text);
  const accepted = await accept(h, token);
  const events = await h.platform.eventStore.readStream(`invitation-${tenantId}_${sent.invitationId}`);
  assert.equal(events.map((e) => e.type), ['InvitationSent', 'InvitationAccepted']);
  assert.ok(events.every((e) => e.tenantId === tenantId && (e.data as any).memberId === sent.memberId));
  const text = JSON.stringify(events);
  assert.not.ok(text.includes('grace@example.org') || text.includes(token), text);
  assert.is((events[0]!.data as any).tokenHash, sha256(token));
  const member = await h.platform.eventStore.readStream(`member-${tenantId}_${sent.memberId}`);
  const activated = member.find((e) => e.type === 'MemberActivated');
  assert.equal(activated?.actor, { system: 'invitation' });
  assert.is(activated?.position, accepted.body.position);
});

test('a revoked invitation’s link answers 410 invitation-revoked; a resend revives it: the new link accepts, the old one stays refused', async ({ h }) => {
  const { owner } = await h.createTenant();
  const sent = await invite(h, owner, 'bob@example.org');
  const oldToken = tokenIn((await outbox(h, owner, sent.position))[0]!.text);
  const revoked = await h.command('POST', `/v1/invitations/${sent.invitationId}/revoke`, owner, {});
  assert.is(revoked.status, 200, revoked.text);
  const refused = await accept(h, oldToken);
  assert.is(refused.status, 410, refused.text);
  assert.is(refused.body.code, 'invitation-revoked');
  const member = await h.query(`/v1/members/${sent.memberId}`, owner, after(revoked.body.position));
  assert.is(member.body.status, 'pending');
  assert.equal((await h.query('/v1/invitations?status=revoked', owner)).body.items.map((i: any) => i.invitationId), [sent.invitationId]);

  const resent = await h.command('POST', `/v1/invitations/${sent.invitationId}/resend`, owner, {});
  assert.is(resent.status, 200, resent.text);
  assert.ok(Date.parse(resent.body.expiresAt) > Date.now(), 'a new expiry');
  const mails = await outbox(h, owner, resent.body.position);
  assert.is(mails.length, 2, 'mailed again');
  const newToken = tokenIn(mails[0]!.text);
  assert.is.not(newToken, oldToken);
  const listed = await h.query('/v1/invitations?status=pending', owner, after(resent.body.position));
  assert.equal(listed.body.items.map((i: any) => [i.invitationId, i.status, i.expiresAt]),
    [[sent.invitationId, 'pending', resent.body.expiresAt]]);
  assert.equal((await h.query('/v1/invitations?status=revoked', owner)).body.items, []);

  const old = await accept(h, oldToken);
  assert.is(old.status, 404, old.text);
  assert.is(old.body.code, 'invitation-not-found');
  const accepted = await accept(h, newToken);
  assert.is(accepted.status, 200, accepted.text);
  assert.is((await h.query(`/v1/members/${sent.memberId}`, owner, after(accepted.body.position))).body.status, 'active');
  // Accepted is final: no resend, no new link.
  const again = await h.command('POST', `/v1/invitations/${sent.invitationId}/resend`, owner, {});
  assert.is(again.status, 409, again.text);
  assert.is(again.body.code, 'invitation-not-pending');
  assert.is((await outbox(h, owner, accepted.body.position)).length, 2);
});

test('a resend mails a new link and the old one stops working', async ({ h }) => {
  const { owner } = await h.createTenant();
  const sent = await invite(h, owner, 'cyd@example.org');
  const oldToken = tokenIn((await outbox(h, owner, sent.position))[0]!.text);
  const resent = await h.command('POST', `/v1/invitations/${sent.invitationId}/resend`, owner, {});
  assert.is(resent.status, 200, resent.text);
  assert.is(resent.body.memberId, sent.memberId);
  const mails = await outbox(h, owner, resent.body.position);
  assert.is(mails.length, 2, 'both mails, newest first');
  const newToken = tokenIn(mails[0]!.text);
  assert.is.not(newToken, oldToken);
  const old = await accept(h, oldToken);
  assert.is(old.status, 404, old.text);
  assert.is(old.body.code, 'invitation-not-found');
  const accepted = await accept(h, newToken);
  assert.is(accepted.status, 200, accepted.text);
});

test('the scheduler expires invitations past their expiry: the link answers 410 invitation-expired, the member stays pending until a resend', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant();
  const sent = await invite(h, owner, 'dee@example.org');
  const token = tokenIn((await outbox(h, owner, sent.position))[0]!.text);
  const later = new Date(Date.parse(sent.expiresAt) + 1000);
  await h.platform.scheduler.runOnce(later);
  await h.platform.scheduler.runOnce(later);
  const events = await h.platform.eventStore.readStream(`invitation-${tenantId}_${sent.invitationId}`);
  const expired = events.filter((e) => e.type === 'InvitationExpired');
  assert.is(expired.length, 1, 'once, however often the scheduler runs');
  assert.equal(expired[0]!.actor, { system: 'scheduler' });
  assert.is(expired[0]!.tenantId, tenantId);
  const refused = await accept(h, token);
  assert.is(refused.status, 410, refused.text);
  assert.is(refused.body.code, 'invitation-expired');
  const listed = await h.query('/v1/invitations?status=expired', owner, after(expired[0]!.position));
  assert.equal(listed.body.items.map((i: any) => i.invitationId), [sent.invitationId]);
  assert.equal((await h.query('/v1/invitations?status=pending', owner)).body.items, []);
  assert.is((await h.query(`/v1/members/${sent.memberId}`, owner)).body.status, 'pending');
});

test('a resend revives an expired invitation: pending again with a new expiry, the new link makes the member active', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant();
  const sent = await invite(h, owner, 'eli@example.org');
  const oldToken = tokenIn((await outbox(h, owner, sent.position))[0]!.text);
  await h.platform.scheduler.runOnce(new Date(Date.parse(sent.expiresAt) + 1000));
  const stream = `invitation-${tenantId}_${sent.invitationId}`;
  const expired = (await h.platform.eventStore.readStream(stream)).find((e) => e.type === 'InvitationExpired');
  assert.ok(expired, 'expired by the scheduler');
  assert.equal((await h.query('/v1/invitations?status=expired', owner, after(expired!.position))).body.items
    .map((i: any) => i.invitationId), [sent.invitationId]);
  // Inviting the email again is refused: the pending member holds it. The resend is the way.
  const twice = await h.command('POST', '/v1/invitations', owner, { email: 'eli@example.org', firstName: 'E', lastName: 'L' });
  assert.is(twice.body.code, 'email-taken');

  const resent = await h.command('POST', `/v1/invitations/${sent.invitationId}/resend`, owner, {});
  assert.is(resent.status, 200, resent.text);
  assert.ok(Date.parse(resent.body.expiresAt) > Date.now() + 6.9 * 86400_000, 'a new expiry of INVITATION_TTL_SECONDS');
  const listed = await h.query('/v1/invitations?status=pending', owner, after(resent.body.position));
  assert.equal(listed.body.items.map((i: any) => [i.invitationId, i.expiresAt]), [[sent.invitationId, resent.body.expiresAt]]);
  assert.equal((await h.query('/v1/invitations?status=expired', owner)).body.items, []);
  // The scheduler now leaves it alone: past its old expiry, it is due only at its new one.
  const justBefore = new Date(Date.parse(resent.body.expiresAt) - 1);
  assert.ok(justBefore.getTime() > Date.parse(sent.expiresAt));
  await h.platform.scheduler.runOnce(justBefore);
  const events = await h.platform.eventStore.readStream(stream);
  assert.equal(events.map((e) => e.type), ['InvitationSent', 'InvitationExpired', 'InvitationResent']);

  const mails = await outbox(h, owner, resent.body.position);
  assert.is(mails.length, 2, 'mailed again');
  const newToken = tokenIn(mails[0]!.text);
  assert.is((await accept(h, oldToken)).body.code, 'invitation-not-found');
  const accepted = await accept(h, newToken);
  assert.is(accepted.status, 200, accepted.text);
  const member = await h.query(`/v1/members/${sent.memberId}`, owner, after(accepted.body.position));
  assert.is(member.body.status, 'active');
  const done = await h.query('/v1/invitations?status=accepted', owner, after(accepted.body.position));
  assert.equal(done.body.items.map((i: any) => i.invitationId), [sent.invitationId]);
});

test('the same Idempotency-Key answers the first invitation again and mails nothing more', async ({ h }) => {
  const { owner } = await h.createTenant();
  const body = { email: 'ken@example.org', firstName: 'Ken', lastName: 'Iverson' };
  const first = await h.command('POST', '/v1/invitations', owner, body, { 'idempotency-key': 'invite-ken' });
  assert.is(first.status, 201, first.text);
  const again = await h.command('POST', '/v1/invitations', owner, body, { 'idempotency-key': 'invite-ken' });
  assert.is(again.status, 201, again.text);
  assert.is(again.headers['idempotent-replayed'], 'true');
  assert.equal(again.body, first.body);
  assert.is((await outbox(h, owner, first.body.position)).length, 1);
});

test('an email already a member’s in the tenant is 409 email-taken, case-insensitively', async ({ h }) => {
  const { owner } = await h.createTenant();
  await invite(h, owner, 'eve@example.org');
  const twice = await h.command('POST', '/v1/invitations', owner, { email: 'EVE@example.org', firstName: 'E', lastName: 'V' });
  assert.is(twice.status, 409, twice.text);
  assert.is(twice.body.code, 'email-taken');
  await h.command('POST', '/v1/members', owner, { email: 'fay@example.org', firstName: 'F', lastName: 'A' });
  const member = await h.command('POST', '/v1/invitations', owner, { email: 'fay@example.org', firstName: 'F', lastName: 'A' });
  assert.is(member.status, 409, member.text);
  assert.is(member.body.code, 'email-taken');
});

test('roles: owner and admin invite, resend and revoke; staff reads the list only; no token is 401', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant();
  const sent = await invite(h, owner, 'gus@example.org');
  const admin = await h.token(tenantId, ['admin']);
  const staff = await h.token(tenantId, ['staff']);
  const auditor = await h.token(tenantId, ['auditor']);
  assert.is((await h.command('POST', '/v1/invitations', admin, { email: 'hal@example.org', firstName: 'H', lastName: 'A' })).status, 201);
  const body = { email: 'ivy@example.org', firstName: 'I', lastName: 'V' };
  assert.is((await h.command('POST', '/v1/invitations', staff, body)).status, 403);
  assert.is((await h.command('POST', `/v1/invitations/${sent.invitationId}/resend`, staff, {})).status, 403);
  assert.is((await h.command('POST', `/v1/invitations/${sent.invitationId}/revoke`, staff, {})).status, 403);
  assert.is((await h.command('POST', '/v1/invitations', 'not-a-token', body)).status, 401);
  assert.is((await h.query('/v1/invitations', staff, after(sent.position))).status, 200);
  assert.is((await h.query('/v1/invitations', auditor)).status, 403);
  assert.is((await h.query('/v1/dev/outbox', staff)).status, 403);
  assert.is((await h.query('/v1/dev/outbox', admin)).status, 200);
});

test('bad input: tampered token 404, no token 400, oversized 413 or 400, and nothing changes', async ({ h }) => {
  const { owner } = await h.createTenant();
  const sent = await invite(h, owner, 'jo@example.org');
  const token = tokenIn((await outbox(h, owner, sent.position))[0]!.text);
  const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  for (const guess of [tampered, 'x', token + 'A']) {
    const reply = await accept(h, guess);
    assert.is(reply.status, 404, reply.text);
    assert.is(reply.body.code, 'invitation-not-found');
  }
  assert.is((await accept(h, undefined)).status, 400);
  assert.is((await accept(h, 42)).status, 400);
  const huge = await accept(h, 'a'.repeat(4000));
  assert.is(huge.status, 413, huge.text);
  const long = await h.command('POST', '/v1/invitations', owner, { email: `${'k'.repeat(250)}@example.org`, firstName: 'K', lastName: 'L' });
  assert.is(long.status, 400, long.text);
  const extra = await h.command('POST', '/v1/invitations', owner, { email: 'kim@example.org', firstName: 'K', lastName: 'L', invite: false });
  assert.is(extra.status, 400, extra.text);
  const members = await h.query('/v1/members', owner, after(sent.position));
  assert.equal(members.body.items.map((m: any) => m.email), ['jo@example.org']);
  assert.is((await outbox(h, owner, sent.position)).length, 1);
  assert.is((await h.query(`/v1/members/${sent.memberId}`, owner)).body.status, 'pending');
});

test('another tenant cannot resend, revoke or see an invitation, nor its mail, even to the same address', async ({ h }) => {
  const a = await h.createTenant('A');
  const b = await h.createTenant('B');
  const ofA = await invite(h, a.owner, 'same@example.org');
  const ofB = await invite(h, b.owner, 'same@example.org');
  for (const action of ['resend', 'revoke']) {
    const reply = await h.command('POST', `/v1/invitations/${ofA.invitationId}/${action}`, b.owner, {});
    assert.is(reply.status, 404, reply.text);
    assert.is(reply.body.code, 'invitation-not-found');
  }
  const listed = await h.query('/v1/invitations?status=pending', b.owner, after(Math.max(ofA.position, ofB.position)));
  assert.equal(listed.body.items.map((i: any) => [i.invitationId, i.email]), [[ofB.invitationId, 'same@example.org']]);
  const mailsOfB = await outbox(h, b.owner, ofB.position);
  assert.is(mailsOfB.length, 1);
  assert.match(mailsOfB[0]!.subject, 'B');
  const tokenOfA = tokenIn((await outbox(h, a.owner, ofA.position))[0]!.text);
  assert.ok(mailsOfB.every((mail) => !mail.text.includes(tokenOfA)));
  assert.is((await accept(h, tokenOfA)).status, 200, 'A’s invitation still works');
});

test.run();
