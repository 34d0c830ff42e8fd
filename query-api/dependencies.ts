import type { AnalyticsStore } from '../infra/analytics/port';
import type { AnalyticsAnswerCache } from './analytics/answer-cache';
import type { TokenService } from '../infra/auth/jwt';
import type { LoadSheddingLimits } from '../infra/http/load-shedding';
import type { RateLimiter } from '../infra/rate-limit/token-bucket';
import type { ReadModelDb } from '../infra/read-models/database';
import type { ReadModelProgress } from './consistency';
import type { DevelopmentOutbox } from '../infra/mail/development-outbox';
import type { LiveDependencies } from './live/live-dependencies';
import type { TenantPlans } from './tenant-plans';
import type { PreparedReads } from './prepared-reads';

export type QueryApiDependencies = {
  /** Connected as the query role: row-level security applies to everything it reads. */
  db: ReadModelDb;
  /** The hottest reads (member list, detail and export), prepared, on the same connections as `db` (prepared-reads.ts). */
  reads: PreparedReads;
  tokens: TokenService;
  rateLimiter: RateLimiter;
  /** Tenants' plans for the rate limit; default: rm_tenants, kept briefly (tenant-plans.ts). */
  tenantPlans?: TenantPlans;
  /** GET /v1/stream and its tickets; without, the live routes are not served. */
  live?: LiveDependencies;
  /** How long a request with X-Consistency-Position may wait for the projections. */
  consistencyTimeoutMs: number;
  /** Where the projections stand, for X-Consistency-Position (read-model-progress.ts). */
  progress: ReadModelProgress;
  /** ClickHouse; absent where analytics are not configured (the analytics routes answer 503). */
  analytics?: AnalyticsStore;
  /** Analytics answers kept under each tenant's analytics data version (analytics/answer-cache.ts); without, every request queries. */
  analyticsAnswers?: AnalyticsAnswerCache;
  /** Where the analytics projection stands, for X-Consistency-Position on the analytics routes. */
  analyticsProgress: ReadModelProgress;
  /** The clock, ISO-8601: "this month" and default date ranges. */
  now: () => string;
  /** When to answer 503 overloaded rather than queue (infra/http/load-shedding.ts); the defaults otherwise. */
  loadShedding?: Partial<LoadSheddingLimits>;
  /** The embedded platform's development outbox (no SMTP_URL): GET /v1/dev/outbox is served only with it. */
  outbox?: Pick<DevelopmentOutbox, 'list'>;
};
