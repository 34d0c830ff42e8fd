/**
 * The scheduler as its own process (distributed mode): `npm run start:scheduler`. Reads
 * DATABASE_URL, SCHEDULER_INTERVAL_MS and the Stripe settings (for the usage report), and serves
 * /health, /ready and /metrics on SCHEDULER_PORT. Several may run: one is active, the others wait
 * for its PostgreSQL advisory lock (the publisher's pattern) and take over when it dies.
 */
import { createUuidV7Generator } from '../../infra/ids/uuid-v7';
import { eventDefinitions } from '../../domain/event-definitions';
import { loadConfig, required } from '../../infra/config/config';
import { guardEventStore } from '../../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../../infra/event-store/postgres-event-store';
import { buildOperationsServer } from '../../infra/http/operations-server';
import { acquireLeadership } from '../../infra/postgres/advisory-leadership';
import { migrate } from '../../infra/postgres/migrate';
import { createPool, workerStatementTimeoutMs } from '../../infra/postgres/pool';
import { closeOnSignal } from '../../infra/process/shutdown';
import { stripeFromEnvironment } from '../../infra/stripe/billing-config';
import { metricFamily } from '../../infra/metrics/prometheus-text';
import { createStreamStates } from '../stream-states';
import { withTenantSettingsInvalidation } from '../tenant-settings-invalidation';
import { tenantSettingsCacheOfConfig } from '../../infra/cache/tenant-settings-cache-of-config';
import type { Tenant } from '../../domain/tenant';
import { runPeriodically } from './run-periodically';
import { createScheduler } from './scheduler';

const config = loadConfig(process.env, { allowDevelopmentSecrets: false, secrets: [] });
const pool = createPool({ connectionString: required(config.DATABASE_URL, 'DATABASE_URL'), max: 4, applicationName: 'membership-scheduler',
  statementTimeoutMs: workerStatementTimeoutMs });
await migrate(pool, { queryRole: config.QUERY_DB_ROLE, queryRolePassword: config.QUERY_DB_PASSWORD });
// It suspends and restores tenants: with REDIS_URL, their cached settings are invalidated as it appends.
const tenantSettings = tenantSettingsCacheOfConfig<Tenant>(config, 'scheduler-tenant-settings');
const streams = createStreamStates(withTenantSettingsInvalidation(guardEventStore(createPostgresEventStore(pool), eventDefinitions), tenantSettings.cache));
let active = false;
const operations = buildOperationsServer({
  logger: { level: config.LOG_LEVEL },
  ready: async () => {
    await pool.query('SELECT 1');
  },
  metrics: async () => await scheduler.metrics()
    + metricFamily('scheduler_active', 'gauge', '1 when this instance holds the scheduler lock', [{ value: active ? 1 : 0 }]),
});
const stripe = stripeFromEnvironment(config);
const scheduler = createScheduler({
  streams, pool, stripe: stripe?.stripe, newId: createUuidV7Generator(),
  ...(stripe ? { billing: { prices: stripe.prices, gracePeriodSeconds: config.BILLING_GRACE_PERIOD_SECONDS, memberGracePeriodSeconds: config.MEMBER_GRACE_PERIOD_SECONDS } } : {}),
  onError: (error) => operations.log.error({ err: error }, 'a scheduled action failed; the next run tries it again'),
});
await operations.listen({ host: config.HOST, port: config.SCHEDULER_PORT });

const leadership = await acquireLeadership(pool, 'membership-scheduler', {
  onWaiting: () => operations.log.info('another scheduler is active; standing by'),
});
active = true;
const loop = runPeriodically(scheduler, {
  intervalMs: config.SCHEDULER_INTERVAL_MS,
  onError: (error) => operations.log.error({ err: error }, 'scheduler run failed; the next run tries again'),
});
operations.log.info(`scheduler active, every ${config.SCHEDULER_INTERVAL_MS} ms`);

void leadership.lost.then(() => {
  operations.log.fatal('lost the scheduler lock (database connection gone); exiting');
  process.exit(1);
});

closeOnSignal('scheduler', async () => {
  await loop.stop();
  await operations.close();
  await leadership.release();
  await tenantSettings.close();
  await pool.end();
});
