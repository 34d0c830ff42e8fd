import type { TokenService } from '../infra/auth/jwt';
import type { EventStore } from '../infra/event-store/port';
import type { IdempotencyStore } from '../infra/idempotency/port';
import type { RateLimiter } from '../infra/rate-limit/token-bucket';
import type { StreamStates } from './stream-states';

/** Everything the command API needs from outside, built by a composition root. */
export type CommandApiDependencies = {
  eventStore: EventStore;
  idempotency: IdempotencyStore;
  tokens: TokenService;
  rateLimiter: RateLimiter;
  /** ISO-8601 UTC now: the clock lives here, never in the domain. */
  now: () => string;
  /** A new UUIDv7. */
  newId: () => string;
};

/** What routes get: the event store behind this app's cache of folded stream states. */
export type RouteDependencies = Omit<CommandApiDependencies, 'eventStore'> & { streams: StreamStates };
