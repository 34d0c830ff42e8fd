import type { StreamTickets } from '../../infra/live/stream-tickets';
import type { LiveHub } from './live-hub';

/** What the query API needs to serve GET /v1/stream and its tickets (DESIGN §12). */
export type LiveDependencies = {
  hub: LiveHub;
  tickets: StreamTickets;
  /** The comment sent on an idle stream; 15 s (DESIGN §12). */
  heartbeatMs: number;
  maxStreamsPerTenant: number;
};

export const liveDefaults = { heartbeatMs: 15_000, maxStreamsPerTenant: 500 };
