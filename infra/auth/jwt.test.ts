import { SignJWT } from 'jose';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTokenService, InvalidTokenError, platformScope } from './jwt';

const secret = 'unit-test-secret-unit-test-secret-0123';
const tenantId = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const tokens = createTokenService(secret);
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the right secret but claims of our choosing: what a careless minter makes. */
function handMade(claims: Record<string, unknown>) {
  const jwt = new SignJWT({ tid: tenantId, roles: ['owner'], ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('u');
  return jwt.sign(new TextEncoder().encode(secret));
}
const valid = { iss: 'membership-platform', aud: 'membership-api', iat: now(), exp: now() + 3600 };

async function refused(token: Promise<string>) {
  try {
    await tokens.verify(await token);
  } catch (error) {
    assert.instance(error, InvalidTokenError);
    return;
  }
  assert.unreachable('the token was accepted');
}

async function signRefused(sign: () => Promise<string>, message?: RegExp) {
  const error = await sign().then(() => undefined, (e: Error) => e);
  assert.ok(error, 'the token was signed');
  if (message) assert.match(error.message, message);
}

test('signed tokens carry issuer, audience, issued-at and a bounded expiry, and verify', async () => {
  const token = await tokens.sign({ userId: 'u', tenantId, roles: ['owner'] }, '2h');
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
  assert.is(claims.iss, 'membership-platform');
  assert.is(claims.aud, 'membership-api');
  assert.is(claims.exp - claims.iat, 7200);
  assert.equal(await tokens.verify(token), { userId: 'u', tenantId, roles: ['owner'] });
  assert.equal(await tokens.verify(await handMade(valid)), { userId: 'u', tenantId, roles: ['owner'] });
});

test('a token without issuer or audience, or with another one, is refused', async () => {
  const { iss, aud, ...rest } = valid;
  await refused(handMade({ ...rest, aud }));
  await refused(handMade({ ...rest, iss }));
  await refused(handMade({ ...valid, iss: 'someone-else' }));
  await refused(handMade({ ...valid, aud: 'another-api' }));
  const elsewhere = await createTokenService(secret, { issuer: 'membership-platform', audience: 'billing-api' })
    .sign({ userId: 'u', tenantId, roles: ['owner'] });
  await refused(Promise.resolve(elsewhere));
});

test('lifetimes are bounded: no iat, more than 24 h between iat and exp, or an iat in the future are refused', async () => {
  const { iat, ...withoutIat } = valid;
  await refused(handMade(withoutIat));
  await refused(handMade({ ...valid, exp: iat + 24 * 3600 + 1 }));
  await refused(handMade({ ...valid, iat: iat + 3600, exp: iat + 7200 }));
  await refused(handMade({ ...valid, iat: iat - 25 * 3600, exp: iat + 3600 }));
  assert.ok(await tokens.verify(await handMade({ ...valid, exp: iat + 24 * 3600 })));
  await signRefused(() => tokens.sign({ userId: 'u', tenantId, roles: ['owner'] }, '30d'), /between 1 s and 24 h/);
  await signRefused(() => tokens.sign({ userId: 'u', tenantId, roles: ['owner'] }, '25h'));
});

test('a platform operator needs no tenant; every other role does', async () => {
  const operator = await tokens.sign({ userId: 'op', tenantId: platformScope, roles: ['platform'] });
  const claims = JSON.parse(Buffer.from(operator.split('.')[1]!, 'base64url').toString());
  assert.is(claims.tid, undefined, 'an operator belongs to no tenant');
  assert.equal(await tokens.verify(operator), { userId: 'op', tenantId: platformScope, roles: ['platform'] });
  await refused(handMade({ ...valid, tid: undefined, roles: ['owner'] }));
  await refused(handMade({ ...valid, tid: undefined, roles: ['platform', 'admin'] }));
  await refused(handMade({ ...valid, tid: platformScope, roles: ['owner'] }));
  await signRefused(() => tokens.sign({ userId: 'u', tenantId: platformScope, roles: ['owner'] }));
});

test.run();
