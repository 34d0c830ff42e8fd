import type { FastifyRequest } from 'fastify';
import { InvalidTokenError, type Principal, type Role, type TokenService } from '../auth/jwt';
import { HttpProblem } from './problem';

const unauthorized = (detail: string) =>
  new HttpProblem(401, 'unauthorized', 'Unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer' });

/** Reads the bearer token and checks the route's roles: 401 without a valid token, 403 without a role. */
export async function authenticate(tokens: TokenService, request: FastifyRequest, allowed: readonly Role[]): Promise<Principal> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) throw unauthorized('Send Authorization: Bearer <token>.');
  let principal: Principal;
  try {
    principal = await tokens.verify(match[1]!);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthorized(error.message);
    throw error;
  }
  return requireRole(principal, allowed);
}

/** 403 unless the principal holds one of the route's roles (a bearer's, or a stream ticket's). */
export function requireRole(principal: Principal, allowed: readonly Role[]): Principal {
  if (!principal.roles.some((role) => allowed.includes(role))) {
    throw new HttpProblem(403, 'forbidden-role', 'Forbidden', `This route needs one of the roles: ${allowed.join(', ')}.`);
  }
  return principal;
}
