import { v7 as uuidv7 } from 'uuid';
import { buildCommandApi } from '../command-api/app';
import { seedPlanUsageFromReadModels } from '../command-api/plan-usage-seed';
import { withTenantSettingsInvalidation } from '../command-api/tenant-settings-invalidation';
import { eventDefinitions } from '../domain/event-definitions';
import type { Tenant } from '../domain/tenant';
import { createTokenService } from '../infra/auth/jwt';
import { tenantSettingsCacheOfConfig } from '../infra/cache/tenant-settings-cache-of-config';
import { guardEventStore } from '../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { createPostgresIdempotencyStore } from '../infra/idempotency/postgres-idempotency-store';
import { holdProcessLiveness } from '../infra/idempotency/process-liveness';
import { createRedisNotifier } from '../infra/live/redis-notifier';
import { createRedisStreamTickets } from '../infra/live/stream-tickets';
import { createPool } from '../infra/postgres/pool';
import type { TestDatabase } from '../infra/postgres/test-database';
import { rateLimiterOfConfig } from '../infra/rate-limit/rate-limiter-of-config';
import { createReadModelDatabase } from '../infra/read-models/database';
import { createRedisClient } from '../infra/redis/redis-client';
import { tenantsWithMemberChanges } from '../projectors/members/live-change-wakeups';
import { postgresReadModels } from '../projectors/read-models';
import { startLogTail } from '../projectors/runtime/log-tail';
import { buildQueryApi } from '../query-api/app';
import { liveDefaults } from '../query-api/live/live-dependencies';
import { createLiveHub } from '../query-api/live/live-hub';
import { createMemberChangeReader } from '../query-api/live/member-change-reader';
import { analyticsProjection, logCheckpointProgress, readModelProjection } from '../query-api/read-model-progress';
import { createTenantPlans } from '../query-api/tenant-plans';
import { createTenantPositions } from '../query-api/tenant-positions';
import { testJwtSecret } from './platform-harness';
import { createPreparedReads } from '../query-api/prepared-reads';

/**
 * For tests: the distributed mode's Redis-backed parts wired as command-api/main.ts and
 * query-api/main.ts wire them with REDIS_URL (same factories), one command API and one query API
 * listening on loopback over one database, and the read-model projection as a log tail that wakes
 * the live streams through Redis as the Kafka projectors do. The hub polls only every `pollMs`.
 */
export async function startRedisPlatform(database: TestDatabase, redisUrl: string, options: { pollMs: number; rateLimitPerSecond: number }) {
  const config = { REDIS_URL: redisUrl, RATE_LIMIT_PER_SECOND: options.rateLimitPerSecond };
  const redisErrors: string[] = [];
  const onError = (error: Error) => { redisErrors.push(error.message); };
  const tokens = createTokenService(testJwtSecret);
  const now = () => new Date().toISOString();

  const pool = createPool({ connectionString: database.url, max: 20, applicationName: 'redis-down-command-api' });
  const liveness = await holdProcessLiveness(pool);
  const commandLimits = rateLimiterOfConfig(config, 'command-api-rate-limits');
  const commandSettings = tenantSettingsCacheOfConfig<Tenant>(config, 'command-api-tenant-settings');
  const commandApi = buildCommandApi({
    eventStore: withTenantSettingsInvalidation(guardEventStore(createPostgresEventStore(pool), eventDefinitions), commandSettings.cache),
    ...(commandSettings.cache ? { tenantSettings: commandSettings.cache } : {}),
    idempotency: createPostgresIdempotencyStore(pool, liveness),
    planUsageSeed: seedPlanUsageFromReadModels(pool),
    tokens, rateLimiter: commandLimits.limiter, now, newId: () => uuidv7(),
  }, { logger: false, ready: async () => void (await pool.query('SELECT 1')) });

  // The projector: in distributed mode a Kafka consumer; a log tail here, publishing the same wake-ups.
  const projectionPool = createPool({ connectionString: database.url, max: 4, applicationName: 'redis-down-projector' });
  const publisher = createRedisNotifier(redisUrl, { onError });
  const tail = startLogTail(createPostgresEventStore(projectionPool), projectionPool, postgresReadModels, {
    idleMs: 20, onApplied: (_checkpoint, events) => publisher.notify(tenantsWithMemberChanges(events)),
  });

  const queryPool = createPool({ connectionString: database.queryUrl, max: 20, applicationName: 'redis-down-query-api' });
  const db = createReadModelDatabase(queryPool);
  const positions = createTenantPositions(queryPool);
  const liveNotifier = createRedisNotifier(redisUrl, { onError });
  const liveErrors: unknown[] = [];
  const hub = createLiveHub({ reader: createMemberChangeReader(queryPool), notifier: liveNotifier, pollMs: options.pollMs, onError: (error) => liveErrors.push(error) });
  const ticketClient = createRedisClient(redisUrl, { name: 'stream-tickets', onError });
  const queryLimits = rateLimiterOfConfig(config, 'query-api-rate-limits');
  const querySettings = tenantSettingsCacheOfConfig<Tenant>(config, 'query-api-tenant-settings');
  const queryApi = buildQueryApi({
    db, reads: createPreparedReads(queryPool), tokens, rateLimiter: queryLimits.limiter, tenantPlans: createTenantPlans(db, Date.now, querySettings.cache),
    consistencyTimeoutMs: 10_000,
    progress: logCheckpointProgress(queryPool, positions, readModelProjection),
    analyticsProgress: logCheckpointProgress(queryPool, positions, analyticsProjection),
    now, live: { ...liveDefaults, hub, tickets: createRedisStreamTickets(ticketClient) },
  }, { logger: false, ready: async () => void (await queryPool.query('SELECT 1')) });

  const commandUrl = await commandApi.listen({ host: '127.0.0.1', port: 0 });
  const queryUrl = await queryApi.listen({ host: '127.0.0.1', port: 0 });
  return {
    commandUrl, queryUrl, tokens, hub, redisErrors, liveErrors,
    async close() {
      hub.close();
      await Promise.all([commandApi.close(), queryApi.close()]);
      await tail.stop();
      await Promise.all([publisher.close(), liveNotifier.close()]);
      ticketClient.disconnect();
      await Promise.all([commandLimits.close(), commandSettings.close(), queryLimits.close(), querySettings.close()]);
      await liveness.stop();
      await db.destroy();
      await Promise.all([pool.end(), projectionPool.end()]);
    },
  };
}

export type RedisPlatform = Awaited<ReturnType<typeof startRedisPlatform>>;
