import { z } from 'zod';

export const roleSchema = z.enum(['owner', 'admin', 'staff', 'auditor', 'platform']);
export type Role = z.infer<typeof roleSchema>;

export type Principal = { userId: string; tenantId: string; roles: Role[] };

/**
 * The tenant scope of a platform operator, who belongs to no tenant: its token carries no `tid`.
 * The nil UUID never names a tenant (their ids are UUIDv7), so code reading `principal.tenantId`
 * (rate limits, logs) sees one well-known value and never a real tenant.
 */
export const platformScope = '00000000-0000-0000-0000-000000000000';

/** Stable defaults for `iss` and `aud`, overridden by JWT_ISSUER and JWT_AUDIENCE. */
export const defaultTokenAudience = { issuer: 'membership-platform', audience: 'membership-api' };
export type TokenAudience = typeof defaultTokenAudience;

/** Only `platform` may go without a tenant: every other role acts inside one. */
export const operatesWithoutTenant = (roles: readonly Role[]) => roles.every((role) => role === 'platform');

export const claimsSchema = z.object({
  sub: z.string().min(1),
  tid: z.uuid().refine((tid) => tid !== platformScope, 'the platform scope is not a tenant').optional(),
  roles: z.array(roleSchema).min(1),
}).refine((claims) => claims.tid !== undefined || operatesWithoutTenant(claims.roles), 'tid is required for tenant roles');

export function principalOf(claims: z.infer<typeof claimsSchema>): Principal {
  return { userId: claims.sub, tenantId: claims.tid ?? platformScope, roles: claims.roles };
}

/** The claims a principal signs as: an operator without tenant carries no `tid`. */
export function claimsOf(principal: Principal): { tid?: string; roles: Role[] } {
  if (principal.tenantId !== platformScope) return { tid: principal.tenantId, roles: principal.roles };
  if (!operatesWithoutTenant(principal.roles)) throw new Error('Only a platform operator may sign without a tenant');
  return { roles: principal.roles };
}
