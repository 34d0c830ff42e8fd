import type { FastifyServerOptions } from 'fastify';
import { createUuidV7Generator } from '../../infra/ids/uuid-v7';
import { buildCommandApi } from '../../command-api/app';
import { eventDefinitions } from '../../domain/event-definitions';
import { createTokenService, type TokenAudience } from '../../infra/auth/jwt';
import { guardEventStore } from '../../infra/event-store/guarded-event-store';
import type { EventStore } from '../../infra/event-store/port';
import { createPostgresEventStore } from '../../infra/event-store/postgres-event-store';
import { createClickHouseStore } from '../../infra/analytics/clickhouse-store';
import { migrateAnalytics } from '../../infra/analytics/migrate-analytics';
import { defaultReadLimits, tenantReads } from '../../infra/analytics/tenant-reads';
import { createPostgresIdempotencyStore } from '../../infra/idempotency/postgres-idempotency-store';
import { holdProcessLiveness } from '../../infra/idempotency/process-liveness';
import { migrate } from '../../infra/postgres/migrate';
import { createPool, workerStatementTimeoutMs } from '../../infra/postgres/pool';
import { createTokenBucketLimiter } from '../../infra/rate-limit/token-bucket';
import { operatorCapOf } from '../../infra/rate-limit/rate-limiter-of-config';
import { createMemoryTenantSettingsCache } from '../../infra/cache/tenant-settings-cache';
import type { Tenant } from '../../domain/tenant';
import { invalidatingTenantSettings } from '../../command-api/tenant-settings-invalidation';
import { createReadModelDatabase } from '../../infra/read-models/database';
import { refusePrivilegedQueryRole } from '../../infra/read-models/refuse-privileged-role';
import { logTailMetrics, startAnalyticsLogTail, startLogTail } from '../../projectors/runtime/log-tail';
import { clickHouseAnalytics } from '../../projectors/analytics/analytics-projection';
import { rebuildAnalytics } from '../../projectors/analytics/rebuild-analytics';
import { createRebuildJobs } from '../../projectors/analytics/rebuild-jobs';
import { postgresReadModels } from '../../projectors/read-models';
import { buildQueryApi } from '../../query-api/app';
import { createLiveHub } from '../../query-api/live/live-hub';
import { liveDefaults, type LiveDependencies } from '../../query-api/live/live-dependencies';
import { createMemberChangeReader } from '../../query-api/live/member-change-reader';
import { createMemoryNotifier } from '../../infra/live/memory-notifier';
import { createMemoryStreamTickets } from '../../infra/live/stream-tickets';
import { tenantsWithMemberChanges } from '../../projectors/members/live-change-wakeups';
import { analyticsProjection, logCheckpointProgress, readModelProjection } from '../../query-api/read-model-progress';
import { createTenantPositions } from '../../query-api/tenant-positions';
import { createTenantPlans } from '../../query-api/tenant-plans';
import { createProjectionPressure } from './projection-pressure';
import type { LoadSheddingLimits } from '../../infra/http/load-shedding';
import { installRebuildRoutes } from './rebuild-routes';
import { runPeriodically } from '../../command-api/scheduler/run-periodically';
import { createScheduler } from '../../command-api/scheduler/scheduler';
import { createStreamStates } from '../../command-api/stream-states';
import { seedPlanUsageFromReadModels } from '../../command-api/plan-usage-seed';
import type { StripeSettings } from '../../infra/stripe/billing-config';
import { defaultMaxProjectionLagMs, invitationDefaults, memberDuesDefaults } from '../../infra/config/config';
import { createConnectedAccounts } from '../../infra/stripe/connected-accounts';
import { createMemberCheckouts } from '../../infra/stripe/member-checkouts';
import { createWebhookRecords } from '../../infra/stripe/webhook-records';
import { mailSenderFrom } from '../../infra/mail/mail-sender-from-config';
import { createAnalyticsAnswerCache } from '../../query-api/analytics/answer-cache';
import { createAnalyticsVersions } from '../../query-api/analytics-versions';
import { createPreparedReads } from '../../query-api/prepared-reads';

export type PlatformOptions = {
  databaseUrl: string;
  queryDatabaseUrl: string;
  queryRole: string;
  /** Set on the query role by the migrations; unset, the role keeps the password it has. */
  queryRolePassword?: string;
  jwtSecret: string;
  /** `iss` and `aud` of tokens (JWT_ISSUER, JWT_AUDIENCE); the defaults otherwise. */
  jwtAudience?: TokenAudience;
  consistencyTimeoutMs: number;
  /** Past this read-model projection lag the command API answers 503 overloaded (projection-pressure.ts); default defaultMaxProjectionLagMs. */
  maxProjectionLagMs?: number;
  /** Both APIs' load-shedding limits (infra/http/load-shedding.ts), and read-your-writes waiters per tenant; defaults otherwise. */
  loadShedding?: Partial<LoadSheddingLimits>;
  maxWaitersPerTenant?: number;
  logger: FastifyServerOptions['logger'];
  logRequests?: boolean;
  /** The operator's cap (RATE_LIMIT_PER_SECOND) on each API: no tenant or subject above this per second, bursts up to twice that; plans set the limits under it. */
  rateLimitPerSecond: number;
  onProjectionError?: (error: unknown) => void;
  /** chDB's data directory for the analytics (one per process); without it, no analytics. */
  analyticsPath?: string;
  /** The clock of both APIs (tests fix it). */
  now?: () => string;
  /** Tenants paying through Stripe (or the local stand-in); without it the billing routes answer 503. */
  billing?: StripeSettings & { gracePeriodSeconds: number; memberGracePeriodSeconds?: number; platformFeePercent?: number };
  /** Runs the scheduler every so often; unset, it runs only when asked (`platform.scheduler.runOnce`). */
  schedulerIntervalMs?: number;
  onSchedulerError?: (error: unknown) => void;
  /** Invitations (DESIGN §12): INVITATION_ACCEPT_URL, INVITATION_TTL_SECONDS, SMTP_URL, MAIL_FROM; invitationDefaults otherwise (no SMTP: the development outbox). */
  invitations?: { acceptUrl?: string; ttlSeconds?: number; smtpUrl?: string; mailFrom?: string };
  /** The live stream's heartbeat and per-tenant bound (tests shorten the heartbeat); liveDefaults otherwise. */
  live?: Partial<Pick<LiveDependencies, 'heartbeatMs' | 'maxStreamsPerTenant'>>;
  /** The admin console's origins (CONSOLE_ORIGINS, the command API's CORS) and the command API's as it calls them (CONSOLE_COMMAND_API_ORIGINS, its CSP); consoleDefaults otherwise. */
  console?: { origins?: readonly string[]; commandApiOrigins?: readonly string[] };
};

/**
 * The embedded platform in one process: event store, both APIs, the read-model projection and
 * the analytics projection (chDB), each fed by an in-process tail of the log. Shared by
 * `npm start` and the end-to-end tests.
 */
export async function buildEmbeddedPlatform(options: PlatformOptions) {
  const writePool = createPool({ connectionString: options.databaseUrl, max: 20, applicationName: 'membership-platform' });
  await migrate(writePool, { queryRole: options.queryRole, queryRolePassword: options.queryRolePassword });
  const queryPool = createPool({ connectionString: options.queryDatabaseUrl, max: 20, applicationName: 'membership-query-api' });
  await refusePrivilegedQueryRole(queryPool).catch(async (error) => {
    await Promise.all([writePool.end(), queryPool.end()]);
    throw error;
  });
  const projectionPool = createPool({ connectionString: options.databaseUrl, max: 4, applicationName: 'membership-projector',
    statementTimeoutMs: workerStatementTimeoutMs });

  // The tails read the log unguarded and check each event themselves: one bad stored event is a dead letter, not a stalled batch.
  const logStore = createPostgresEventStore(writePool);
  const baseStore = guardEventStore(logStore, eventDefinitions);
  // Read-your-writes waiters are woken by the tails as they commit, not by each polling.
  const positions = createTenantPositions(queryPool);
  // The tails push their checkpoints: the reading per tick is only a fallback here, so a slow one.
  const waiters = { pollMs: 50, ...(options.maxWaitersPerTenant === undefined ? {} : { maxWaitersPerTenant: options.maxWaitersPerTenant }) };
  const progress = logCheckpointProgress(queryPool, positions, readModelProjection, waiters);
  const analyticsProgress = logCheckpointProgress(queryPool, positions, analyticsProjection, waiters);
  const pressure = createProjectionPressure(options.maxProjectionLagMs ?? defaultMaxProjectionLagMs);
  const liveChanges = createMemoryNotifier();
  const tail = startLogTail(logStore, projectionPool, postgresReadModels, { onError: options.onProjectionError, onApplied: (checkpoint, events) => {
    progress.applied(checkpoint);
    pressure.applied(checkpoint);
    liveChanges.notify(tenantsWithMemberChanges(events));
  } });
  const analytics = options.analyticsPath ? await createClickHouseStore({ embeddedPath: options.analyticsPath }) : undefined;
  if (analytics) await migrateAnalytics(analytics);
  const analyticsTail = analytics
    // Not woken by each append, and polled only every 250 ms: ClickHouse wants few, large inserts
    // (each makes a part that background merges rewrite; woken per append, the merges of tiny parts
    // took a third of the process's CPU under a command load).
    ? startAnalyticsLogTail(logStore, projectionPool, analytics, clickHouseAnalytics,
      { onError: options.onProjectionError, onApplied: analyticsProgress.applied, idleMs: 250 })
    : undefined;
  // One process: the tenant settings cache in memory, invalidated by this process's every tenant event.
  const tenantSettings = createMemoryTenantSettingsCache<Tenant>();
  // After an append in this process, wake the read-model tail at once instead of waiting for its next poll.
  const eventStore: EventStore = invalidatingTenantSettings({
    ...baseStore,
    append: async (...args) => {
      const result = await baseStore.append(...args);
      pressure.appended(result.position);
      tail.nudge();
      return result;
    },
  }, tenantSettings);
  const tokens = createTokenService(options.jwtSecret, options.jwtAudience);
  const now = options.now ?? (() => new Date().toISOString());
  const limiter = () => createTokenBucketLimiter(operatorCapOf(options.rateLimitPerSecond));
  const ready = async () => {
    await writePool.query('SELECT 1');
    await queryPool.query('SELECT 1');
    await analytics?.ping();
  };
  const newId = createUuidV7Generator();
  const streams = createStreamStates(eventStore);
  const onSchedulerError = options.onSchedulerError ?? (() => undefined);
  const scheduler = createScheduler({
    streams, pool: writePool, stripe: options.billing?.stripe, newId, onError: onSchedulerError,
    ...(options.billing ? { billing: { prices: options.billing.prices, gracePeriodSeconds: options.billing.gracePeriodSeconds,
      memberGracePeriodSeconds: options.billing.memberGracePeriodSeconds ?? memberDuesDefaults.memberGracePeriodSeconds } } : {}),
  });
  const schedulerLoop = options.schedulerIntervalMs === undefined ? undefined
    : runPeriodically(scheduler, { intervalMs: options.schedulerIntervalMs, onError: onSchedulerError });
  const billing = options.billing && {
    stripe: options.billing.stripe, prices: options.billing.prices, gracePeriodSeconds: options.billing.gracePeriodSeconds,
    memberGracePeriodSeconds: options.billing.memberGracePeriodSeconds ?? memberDuesDefaults.memberGracePeriodSeconds,
    platformFeePercent: options.billing.platformFeePercent ?? memberDuesDefaults.platformFeePercent,
    webhookRecords: createWebhookRecords(writePool), connectedAccounts: createConnectedAccounts(writePool), memberCheckouts: createMemberCheckouts(writePool),
  };
  const liveness = await holdProcessLiveness(writePool);
  const invitations = { ...invitationDefaults, ...options.invitations };
  // Without SMTP_URL, the development outbox: kept in memory, read through GET /v1/dev/outbox.
  const mail = mailSenderFrom({ MAIL_FROM: invitations.mailFrom, ...(invitations.smtpUrl ? { SMTP_URL: invitations.smtpUrl } : {}) });
  const commandApi = buildCommandApi({
    eventStore, tenantSettings, tokens, rateLimiter: limiter(), idempotency: createPostgresIdempotencyStore(writePool, liveness),
    planUsageSeed: seedPlanUsageFromReadModels(writePool),
    ...(billing ? { billing } : {}), now, newId, loadShedding: { ...options.loadShedding, pressure: pressure.pressure },
    ...(options.console?.origins ? { consoleOrigins: options.console.origins } : {}),
    invitations: { mail: mail.sender, acceptUrl: invitations.acceptUrl, ttlSeconds: invitations.ttlSeconds },
  }, { logger: options.logger, ready, logRequests: options.logRequests ?? false, extraMetrics: async () => (await scheduler.metrics()) + await logTailMetrics(projectionPool, analyticsTail ? [tail, analyticsTail] : [tail]) });
  const rebuilds = analytics ? createRebuildJobs((tenantId, onProgress, signal) =>
    rebuildAnalytics({ events: baseStore, pool: projectionPool, analytics, tenantId, onProgress, signal })) : undefined;
  installRebuildRoutes(commandApi, tokens, rebuilds);
  const db = createReadModelDatabase(queryPool);
  const liveHub = createLiveHub({ reader: createMemberChangeReader(queryPool), notifier: liveChanges, onError: options.onProjectionError });
  const queryApi = buildQueryApi({
    db, reads: createPreparedReads(queryPool), tokens, rateLimiter: limiter(), consistencyTimeoutMs: options.consistencyTimeoutMs, now, tenantPlans: createTenantPlans(db, Date.now, tenantSettings),
    // The query API reads bounded and per tenant, as distributed; the projectors keep the store as it is.
    progress, analytics: analytics && tenantReads(analytics, defaultReadLimits), analyticsProgress, loadShedding: options.loadShedding,
    ...(analytics ? { analyticsAnswers: createAnalyticsAnswerCache({ versions: createAnalyticsVersions(queryPool) }) } : {}),
    ...(mail.outbox ? { outbox: mail.outbox } : {}),
    live: { ...liveDefaults, ...options.live, hub: liveHub, tickets: createMemoryStreamTickets() },
  }, { logger: options.logger, ready, logRequests: options.logRequests ?? false,
    ...(options.console?.commandApiOrigins ? { consoleCommandApiOrigins: options.console.commandApiOrigins } : {}) });

  return {
    commandApi,
    queryApi,
    eventStore,
    tokens,
    writePool,
    analytics,
    scheduler,
    async close() {
      await schedulerLoop?.stop();
      liveHub.close();
      await Promise.all([commandApi.close(), queryApi.close()]);
      await mail.sender.close?.();
      await liveness.stop();
      await tail.stop();
      await analyticsTail?.stop();
      // chDB aborts the process if its connection closes under a running query.
      await rebuilds?.stop();
      await analytics?.close();
      await db.destroy();
      await Promise.all([writePool.end(), projectionPool.end()]);
    },
  };
}

export type EmbeddedPlatform = Awaited<ReturnType<typeof buildEmbeddedPlatform>>;
