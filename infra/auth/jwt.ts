import { jwtVerify, SignJWT, errors } from 'jose';
import { z } from 'zod';

export const roleSchema = z.enum(['owner', 'admin', 'staff', 'auditor', 'platform']);
export type Role = z.infer<typeof roleSchema>;

export type Principal = { userId: string; tenantId: string; roles: Role[] };

const claimsSchema = z.object({ sub: z.string().min(1), tid: z.uuid(), roles: z.array(roleSchema).min(1) });

export class InvalidTokenError extends Error {}

/** HS256 tokens with `sub`, `tid` and `roles`; the secret comes from configuration. */
export function createTokenService(secret: string) {
  const key = new TextEncoder().encode(secret);
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
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp'] });
        const claims = claimsSchema.parse(payload);
        return { userId: claims.sub, tenantId: claims.tid, roles: claims.roles };
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new InvalidTokenError('The token has expired.');
        throw new InvalidTokenError('The token is not valid.');
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
