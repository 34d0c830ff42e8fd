import type { Tenant } from '../domain/tenant';
import type { TokenService } from '../infra/auth/jwt';
import type { TenantSettingsCache } from '../infra/cache/tenant-settings-cache';
import type { EventStore } from '../infra/event-store/port';
import type { IdempotencyStore } from '../infra/idempotency/port';
import type { RateLimiter } from '../infra/rate-limit/token-bucket';
import type { StripeBilling } from '../infra/stripe/port';
import type { ConnectedAccounts } from '../infra/stripe/connected-accounts';
import type { MemberCheckouts } from '../infra/stripe/member-checkouts';
import type { PriceTable } from '../infra/stripe/prices';
import type { WebhookRecords } from '../infra/stripe/webhook-records';
import type { PlanUsage } from './plan-usage';
import type { InvitationSettings } from './routes/invitations/invitation-mail';
import type { PlanUsageSeed } from './plan-usage-seed';
import type { StreamStates } from './stream-states';
import type { TenantGuard } from './tenant-guard';

/** Tenants paying the platform through Stripe (DESIGN §10). Without it the billing routes answer 503. */
export type BillingSettings = {
  stripe: StripeBilling;
  prices: PriceTable;
  webhookRecords: WebhookRecords;
  /** The tenants' connected accounts for members' dues (DESIGN §11). */
  connectedAccounts: ConnectedAccounts;
  /** Members' open dues checkouts: one at a time each. */
  memberCheckouts: MemberCheckouts;
  /** How long a tenant past due keeps writing before the scheduler suspends it. */
  gracePeriodSeconds: number;
  /** How long a member's Stripe dues may stay past due before the scheduler lapses them. */
  memberGracePeriodSeconds: number;
  /** PLATFORM_FEE_PERCENT: the platform's application fee on members' subscriptions (0 to 100). */
  platformFeePercent: number;
};

/** What the billing routes share inside one command API. */
export type BillingDependencies = BillingSettings & {
  /** Deliveries by Stripe event type and outcome (`type outcome` → count), for /metrics. */
  deliveries: Map<string, number>;
  /** Billing commands of one tenant take turns in this process (they append to its one stream). */
  inTurn: <T>(tenantId: string, work: () => Promise<T>) => Promise<T>;
};

/** Everything the command API needs from outside, built by a composition root. */
export type CommandApiDependencies = {
  eventStore: EventStore;
  idempotency: IdempotencyStore;
  tokens: TokenService;
  rateLimiter: RateLimiter;
  /**
   * The tenant lookup's cache, invalidated by tenant events (wrap the event store with
   * invalidatingTenantSettings); absent, each process trusts what it read for a second.
   */
  tenantSettings?: TenantSettingsCache<Tenant>;
  billing?: BillingSettings;
  /** Invitations by mail (DESIGN §12); without them the invitation routes are not served. */
  invitations?: InvitationSettings;
  /** Browser origins allowed by CORS (CONSOLE_ORIGINS: the admin console on the query API); consoleDefaults.origins otherwise. */
  consoleOrigins?: readonly string[];
  /** What a tenant held before its plan-usage ledger opened (the read models' counts). */
  planUsageSeed: PlanUsageSeed;
  /** ISO-8601 UTC now: the clock lives here, never in the domain. */
  now: () => string;
  /** A new UUIDv7. */
  newId: () => string;
  /** When to answer 503 overloaded rather than queue (infra/http/load-shedding.ts); the defaults otherwise. */
  loadShedding?: Partial<import('../infra/http/load-shedding').LoadSheddingLimits>;
};

/** What routes get: the event store behind this app's cache of folded stream states. */
export type RouteDependencies = Omit<CommandApiDependencies, 'eventStore' | 'billing'> & {
  billing: BillingDependencies | undefined;
  streams: StreamStates;
  planUsage: PlanUsage;
  requireTenant: TenantGuard;
};
