import type { TokenService } from '../infra/auth/jwt';
import type { IdempotencyStore } from '../infra/idempotency/port';
import type { RateLimiter } from '../infra/rate-limit/token-bucket';
import type { StreamStates } from './stream-states';

/** Everything the command API needs from outside, built by a composition root. */
export type CommandApiDependencies = {
  /** The event store behind a cache of folded stream states (see stream-states.ts). */
  streams: StreamStates;
  idempotency: IdempotencyStore;
  tokens: TokenService;
  rateLimiter: RateLimiter;
  /** ISO-8601 UTC now: the clock lives here, never in the domain. */
  now: () => string;
  /** A new UUIDv7. */
  newId: () => string;
};
