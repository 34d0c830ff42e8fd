import { createSecretKey } from 'node:crypto';
import { jwtVerify, SignJWT, errors } from 'jose';
import { claimsOf, claimsSchema, defaultTokenAudience, principalOf, type Principal, type TokenAudience } from './token-claims';
import { maxTokenLifetimeSeconds, tokenLifetimeSeconds } from './token-lifetime';

export { platformScope, roleSchema, type Principal, type Role, type TokenAudience } from './token-claims';

export class InvalidTokenError extends Error {}

/** Verified tokens kept for their remaining lifetime, so a client's repeated bearer costs one HMAC. */
const verifiedCacheSize = 10_000;
/** Clocks of the signer and the verifier may differ a little (distributed roles on several hosts). */
const clockToleranceSeconds = 5;

/**
 * HS256 tokens with `sub`, `tid` (absent for a platform operator) and `roles`, issued by and for
 * this platform (`iss`, `aud`), with `iat` and an `exp` at most a day later. The secret comes
 * from configuration; a token missing any of these is refused.
 */
export function createTokenService(secret: string, audience: TokenAudience = defaultTokenAudience) {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const verified = new Map<string, { principal: Principal; expiresAtMs: number }>();
  return {
    async sign(principal: Principal, expiresIn: string = '12h') {
      const issuedAt = Math.floor(Date.now() / 1000);
      return new SignJWT(claimsOf(principal))
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(audience.issuer)
        .setAudience(audience.audience)
        .setSubject(principal.userId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + tokenLifetimeSeconds(expiresIn))
        .sign(key);
    },
    async verify(token: string): Promise<Principal> {
      const known = verified.get(token);
      if (known && known.expiresAtMs > Date.now()) return known.principal;
      verified.delete(token);
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'], issuer: audience.issuer, audience: audience.audience, requiredClaims: ['exp', 'iat'],
          maxTokenAge: maxTokenLifetimeSeconds, clockTolerance: clockToleranceSeconds,
        });
        if (payload.exp! - payload.iat! > maxTokenLifetimeSeconds) throw new InvalidTokenError('The token lives too long.');
        const principal = principalOf(claimsSchema.parse(payload));
        if (verified.size >= verifiedCacheSize) verified.delete(verified.keys().next().value!);
        verified.set(token, { principal, expiresAtMs: payload.exp! * 1000 });
        return principal;
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new InvalidTokenError('The token has expired.');
        throw new InvalidTokenError('The token is not valid.');
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
