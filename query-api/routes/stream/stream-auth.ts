import type { FastifyRequest } from 'fastify';
import type { Principal, TokenService } from '../../../infra/auth/jwt';
import { authenticate, requireRole } from '../../../infra/http/authenticate';
import { HttpProblem } from '../../../infra/http/problem';
import type { StreamTickets } from '../../../infra/live/stream-tickets';
import { readerRoles } from '../../query-route';

/** An unknown, used, expired or tampered ticket: the browser asks for a new one. */
export const invalidStreamTicket = () => new HttpProblem(401, 'invalid-stream-ticket', 'Unauthorized',
  'This stream ticket is unknown, already used or expired: ask POST /v1/stream/tickets for a new one.');

/** Who may follow a tenant's stream: whoever may read its members. */
export const streamRoles = readerRoles;

/**
 * The stream's caller: by `?ticket=` (browsers' EventSource cannot send headers), else by bearer
 * token. A ticket carries the principal it was issued to, roles included, so it is checked as a
 * token would be.
 */
export async function streamPrincipal(tokens: TokenService, tickets: StreamTickets, request: FastifyRequest, ticket: string | undefined): Promise<Principal> {
  if (ticket === undefined) return authenticate(tokens, request, streamRoles);
  const principal = await tickets.redeem(ticket);
  if (!principal) throw invalidStreamTicket();
  return requireRole(principal, streamRoles);
}
