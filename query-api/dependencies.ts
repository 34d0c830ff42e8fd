import type { TokenService } from '../infra/auth/jwt';
import type { ReadModelDb } from '../infra/read-models/database';

export type QueryApiDependencies = {
  /** Connected as the query role: row-level security applies to everything it reads. */
  db: ReadModelDb;
  tokens: TokenService;
  /** How long a request with X-Consistency-Position may wait for the projections. */
  consistencyTimeoutMs: number;
};
