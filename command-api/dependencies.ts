import type { TokenService } from '../infra/auth/jwt';
import type { EventStore } from '../infra/event-store/port';
import type { IdempotencyStore } from '../infra/idempotency/port';

/** Everything the command API needs from outside, built by a composition root. */
export type CommandApiDependencies = {
  eventStore: EventStore;
  idempotency: IdempotencyStore;
  tokens: TokenService;
  /** ISO-8601 UTC now: the clock lives here, never in the domain. */
  now: () => string;
  /** A new UUIDv7. */
  newId: () => string;
};
