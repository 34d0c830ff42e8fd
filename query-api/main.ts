/**
 * The query API as its own process (distributed mode): `npm run start:query-api`.
 * Connects as the query role (QUERY_DATABASE_URL, or DATABASE_URL with QUERY_DB_ROLE and
 * QUERY_DB_PASSWORD), never as the owner: it refuses to start as a superuser, a BYPASSRLS role or
 * the owner of the read-model tables. Listens on QUERY_API_PORT. With KAFKA_BROKERS set,
 * read-your-writes follows the Kafka projectors' partition checkpoints of KAFKA_TOPIC, woken by
 * their commits (LISTEN on a connection of its own, kafka-progress.ts); without,
 * the in-process projection's checkpoint. It never connects to Kafka itself. With
 * CLICKHOUSE_READER_URL it serves the analytics routes from that server as the reader role
 * (SELECT only, its tenant's rows only), each read bounded (else they answer 503). With REDIS_URL,
 * GET /v1/stream is woken by the projectors through Redis pub/sub and its tickets are shared.
 */
import { createClickHouseStore } from '../infra/analytics/clickhouse-store';
import { tenantReads } from '../infra/analytics/tenant-reads';
import { createAnalyticsAnswerCache } from './analytics/answer-cache';
import { createAnalyticsVersions } from './analytics-versions';
import { createTokenService } from '../infra/auth/jwt';
import { loadConfig, loadSheddingLimitsOf, required } from '../infra/config/config';
import { listenWithBacklog } from '../infra/http/listen-options';
import { withCredentials } from '../infra/postgres/connection-url';
import { createPool } from '../infra/postgres/pool';
import { closeOnSignal } from '../infra/process/shutdown';
import { rateLimiterOfConfig } from '../infra/rate-limit/rate-limiter-of-config';
import { tenantSettingsCacheOfConfig } from '../infra/cache/tenant-settings-cache-of-config';
import type { Tenant } from '../domain/tenant';
import { createTenantPlans } from './tenant-plans';
import { createReadModelDatabase } from '../infra/read-models/database';
import { refusePrivilegedQueryRole } from '../infra/read-models/refuse-privileged-role';
import { createMemoryNotifier } from '../infra/live/memory-notifier';
import { createRedisNotifier } from '../infra/live/redis-notifier';
import { createMemoryStreamTickets, createRedisStreamTickets } from '../infra/live/stream-tickets';
import { createRedisClient } from '../infra/redis/redis-client';
import { buildQueryApi } from './app';
import { liveDefaults } from './live/live-dependencies';
import { createLiveHub } from './live/live-hub';
import { createMemberChangeReader } from './live/member-change-reader';
import { analyticsProjection, logCheckpointProgress, readModelProjection } from './read-model-progress';
import { createTenantPositions } from './tenant-positions';
import { followKafkaProgress } from './kafka-progress';
import { createPreparedReads } from './prepared-reads';

const config = loadConfig(process.env, {
  allowDevelopmentSecrets: false,
  secrets: process.env.QUERY_DATABASE_URL ? ['JWT_SECRET'] : ['JWT_SECRET', 'QUERY_DB_PASSWORD'],
});
const connectionString = config.QUERY_DATABASE_URL
  ?? withCredentials(required(config.DATABASE_URL, 'QUERY_DATABASE_URL or DATABASE_URL'), config.QUERY_DB_ROLE, config.queryRolePassword);
const pool = createPool({ connectionString, max: 20, applicationName: 'membership-query-api' });
// Row-level security isolates tenants only if this role is subject to it.
await refusePrivilegedQueryRole(pool);
const db = createReadModelDatabase(pool);
const positions = createTenantPositions(pool);
const waiters = { maxWaitersPerTenant: config.CONSISTENCY_MAX_WAITERS_PER_TENANT };
// With Kafka, read-your-writes waiters are woken by the projectors' commits (LISTEN on a connection of its own).
const kafkaProgress = config.KAFKA_BROKERS ? followKafkaProgress({ pool, positions, topic: config.KAFKA_TOPIC, connectionString, ...waiters,
  onError: (error) => console.error('read-your-writes progress:', error) }) : undefined;
if (config.CLICKHOUSE_URL && !config.CLICKHOUSE_READER_URL) {
  throw new Error('The query API reads ClickHouse as the reader, never as the owner: set CLICKHOUSE_READER_URL');
}
const analytics = config.CLICKHOUSE_READER_URL
  ? tenantReads(await createClickHouseStore({ url: config.CLICKHOUSE_READER_URL }), {
    maxExecutionSeconds: config.ANALYTICS_QUERY_MAX_SECONDS, maxMemoryBytes: config.ANALYTICS_QUERY_MAX_MEMORY_BYTES })
  : undefined;

// Live updates (DESIGN §12): the projectors' wake-ups come through Redis; without it, each feed
// only polls (every second), and a stream ticket is good only on the instance that issued it.
const liveNotifier = config.REDIS_URL ? createRedisNotifier(config.REDIS_URL, { onError: (error) => console.error('Redis (live updates):', error.message) })
  : createMemoryNotifier();
const liveHub = createLiveHub({ reader: createMemberChangeReader(pool), notifier: liveNotifier, onError: (error) => console.error('live updates:', error) });
const ticketsClient = config.REDIS_URL
  ? createRedisClient(config.REDIS_URL, { name: 'stream-tickets', onError: (error) => console.error('Redis (stream tickets):', error.message) }) : undefined;
const tickets = ticketsClient ? createRedisStreamTickets(ticketsClient) : createMemoryStreamTickets();

// With REDIS_URL the rate limits are shared with the other query API processes (per process while Redis is down).
const rateLimits = rateLimiterOfConfig(config, 'query-api-rate-limits');
// Tenants' plans for the rate limit, from the command side's tenant settings cache when REDIS_URL is set.
const tenantSettings = tenantSettingsCacheOfConfig<Tenant>(config, 'query-api-tenant-settings');
const app = buildQueryApi({
  db,
  reads: createPreparedReads(pool),
  tokens: createTokenService(config.jwtSecret, config.jwtAudience),
  rateLimiter: rateLimits.limiter,
  tenantPlans: createTenantPlans(db, Date.now, tenantSettings.cache),
  consistencyTimeoutMs: config.CONSISTENCY_TIMEOUT_MS,
  progress: kafkaProgress?.readModels ?? logCheckpointProgress(pool, positions, readModelProjection, waiters),
  analytics,
  // Every query-API process reads the same versions (PostgreSQL): none serves an answer older than the tenant's rows.
  ...(analytics ? { analyticsAnswers: createAnalyticsAnswerCache({ versions: createAnalyticsVersions(pool) }) } : {}),
  analyticsProgress: kafkaProgress?.analytics ?? logCheckpointProgress(pool, positions, analyticsProjection, waiters),
  loadShedding: loadSheddingLimitsOf(config),
  now: () => new Date().toISOString(),
  live: { ...liveDefaults, hub: liveHub, tickets },
}, {
  logger: { level: config.LOG_LEVEL },
  logRequests: config.LOG_REQUESTS,
  consoleCommandApiOrigins: config.CONSOLE_COMMAND_API_ORIGINS,
  ready: async () => {
    // The read models exist once the command API or a worker has applied the migrations.
    await pool.query('SELECT 1 FROM rm_tenants LIMIT 1');
    await analytics?.ping();
  },
});
await listenWithBacklog(app, config, config.QUERY_API_PORT);

closeOnSignal('query-api', async () => {
  liveHub.close();
  await app.close();
  await liveNotifier.close();
  ticketsClient?.disconnect();
  await kafkaProgress?.close();
  await db.destroy();
  await rateLimits.close();
  await tenantSettings.close();
  await analytics?.close();
});
