import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../auth/jwt';
import type { Redis } from '../redis/redis-client';

/**
 * Stream tickets (DESIGN §12): a browser's EventSource cannot send a bearer header, so it first
 * trades its token for a ticket (POST /v1/stream/tickets) and opens `/v1/stream?ticket=`. A ticket
 * is 32 random bytes, valid 60 s, good for one connection; only its hash is kept.
 */
export const streamTicketTtlSeconds = 60;

export type StreamTickets = {
  issue: (principal: Principal) => Promise<{ ticket: string; expiresAt: string }>;
  /** The principal the ticket was issued to, once; undefined for an unknown, used or expired one. */
  redeem: (ticket: string) => Promise<Principal | undefined>;
};

const hashOf = (ticket: string) => createHash('sha256').update(ticket).digest('base64url');
const newTicket = () => randomBytes(32).toString('base64url');

/** One process's tickets (embedded mode, and the fallback of the Redis ones). */
export function createMemoryStreamTickets(now: () => number = Date.now): StreamTickets {
  const held = new Map<string, { principal: Principal; expiresAtMs: number }>();
  // Entries are in issue order with one lifetime, so the expired ones are a prefix: stop at the first live one.
  const sweep = (at: number) => {
    for (const [hash, entry] of held) {
      if (entry.expiresAtMs > at) return;
      held.delete(hash);
    }
  };
  return {
    async issue(principal) {
      const at = now();
      sweep(at);
      const ticket = newTicket();
      const expiresAtMs = at + streamTicketTtlSeconds * 1000;
      held.set(hashOf(ticket), { principal, expiresAtMs });
      return { ticket, expiresAt: new Date(expiresAtMs).toISOString() };
    },
    async redeem(ticket) {
      const hash = hashOf(ticket);
      const entry = held.get(hash);
      held.delete(hash);
      return entry && entry.expiresAtMs > now() ? entry.principal : undefined;
    },
  };
}

/**
 * Distributed mode: tickets in Redis, so that any query-API instance can redeem one another issued
 * (GETDEL: single use even when two instances race). With Redis down, tickets are issued and
 * redeemed in this process: a browser then connects to the instance that issued its ticket or
 * asks again — degraded, not broken.
 */
export function createRedisStreamTickets(redis: Redis, fallback: StreamTickets = createMemoryStreamTickets()): StreamTickets {
  const key = (hash: string) => `membership:stream-ticket:${hash}`;
  return {
    async issue(principal) {
      const ticket = newTicket();
      const expiresAt = new Date(Date.now() + streamTicketTtlSeconds * 1000).toISOString();
      try {
        await redis.set(key(hashOf(ticket)), JSON.stringify(principal), 'EX', streamTicketTtlSeconds);
        return { ticket, expiresAt };
      } catch {
        return fallback.issue(principal);
      }
    },
    async redeem(ticket) {
      const local = await fallback.redeem(ticket);
      if (local) return local;
      try {
        const stored = await redis.getdel(key(hashOf(ticket)));
        return stored ? (JSON.parse(stored) as Principal) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
