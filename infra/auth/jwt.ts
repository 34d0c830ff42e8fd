import { createSecretKey } from 'node:crypto';
import { jwtVerify, SignJWT, errors } from 'jose';
import { z } from 'zod';

export const roleSchema = z.enum(['owner', 'admin', 'staff', 'auditor', 'platform']);
export type Role = z.infer<typeof roleSchema>;

export type Principal = { userId: string; tenantId: string; roles: Role[] };

const claimsSchema = z.object({ sub: z.string().min(1), tid: z.uuid(), roles: z.array(roleSchema).min(1) });

export class InvalidTokenError extends Error {}

/** Verified tokens kept for their remaining lifetime, so a client's repeated bearer costs one HMAC. */
const verifiedCacheSize = 10_000;

/** HS256 tokens with `sub`, `tid` and `roles`; the secret comes from configuration. */
export function createTokenService(secret: string) {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const verified = new Map<string, { principal: Principal; expiresAtMs: number }>();
  return {
    async sign(principal: Principal, expiresIn: string = '12h') {
      return new SignJWT({ tid: principal.tenantId, roles: principal.roles })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(principal.userId)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(key);
    },
    async verify(token: string): Promise<Principal> {
      const known = verified.get(token);
      if (known && known.expiresAtMs > Date.now()) return known.principal;
      verified.delete(token);
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp'] });
        const claims = claimsSchema.parse(payload);
        const principal: Principal = { userId: claims.sub, tenantId: claims.tid, roles: claims.roles };
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
