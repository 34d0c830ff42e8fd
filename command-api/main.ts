/**
 * The command API as its own process (distributed mode): `npm run start:command-api`.
 * Reads DATABASE_URL, JWT_SECRET and QUERY_DB_PASSWORD (it applies the migrations, which own the
 * query role), the Stripe settings (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_PRICES,
 * BILLING_GRACE_PERIOD_SECONDS; without them no billing), and listens on COMMAND_API_PORT. With REDIS_URL its
 * rate limits are shared with the other command API processes (per process while Redis is down). Its events reach the read models through the
 * publisher and the projectors.
 */
import { createUuidV7Generator } from '../infra/ids/uuid-v7';
import { eventDefinitions } from '../domain/event-definitions';
import { createTokenService } from '../infra/auth/jwt';
import { loadConfig, loadSheddingLimitsOf, required } from '../infra/config/config';
import { listenWithBacklog } from '../infra/http/listen-options';
import { guardEventStore } from '../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { createPostgresIdempotencyStore } from '../infra/idempotency/postgres-idempotency-store';
import { holdProcessLiveness } from '../infra/idempotency/process-liveness';
import { migrate } from '../infra/postgres/migrate';
import { createPool } from '../infra/postgres/pool';
import { closeOnSignal } from '../infra/process/shutdown';
import { rateLimiterOfConfig } from '../infra/rate-limit/rate-limiter-of-config';
import { tenantSettingsCacheOfConfig } from '../infra/cache/tenant-settings-cache-of-config';
import type { Tenant } from '../domain/tenant';
import { withTenantSettingsInvalidation } from './tenant-settings-invalidation';
import { stripeFromEnvironment } from '../infra/stripe/billing-config';
import { createConnectedAccounts } from '../infra/stripe/connected-accounts';
import { createMemberCheckouts } from '../infra/stripe/member-checkouts';
import { createWebhookRecords } from '../infra/stripe/webhook-records';
import { buildCommandApi } from './app';
import { seedPlanUsageFromReadModels } from './plan-usage-seed';
import { mailSenderFrom } from '../infra/mail/mail-sender-from-config';

const config = loadConfig(process.env, { allowDevelopmentSecrets: false });
const pool = createPool({ connectionString: required(config.DATABASE_URL, 'DATABASE_URL'), max: 20, applicationName: 'membership-command-api' });
await migrate(pool, { queryRole: config.QUERY_DB_ROLE, queryRolePassword: config.queryRolePassword });

const stripe = stripeFromEnvironment(config);
const liveness = await holdProcessLiveness(pool);
const rateLimits = rateLimiterOfConfig(config, 'command-api-rate-limits');
const tenantSettings = tenantSettingsCacheOfConfig<Tenant>(config, 'command-api-tenant-settings');
// Invitations need a mail server here: the development outbox is for the embedded mode only (no
// process of this mode serves it), so without SMTP_URL the invitation routes are not served.
const mail = config.SMTP_URL ? mailSenderFrom(config).sender : undefined;
const app = buildCommandApi({
  eventStore: withTenantSettingsInvalidation(guardEventStore(createPostgresEventStore(pool), eventDefinitions), tenantSettings.cache),
  ...(tenantSettings.cache ? { tenantSettings: tenantSettings.cache } : {}),
  idempotency: createPostgresIdempotencyStore(pool, liveness),
  planUsageSeed: seedPlanUsageFromReadModels(pool),
  tokens: createTokenService(config.jwtSecret, config.jwtAudience),
  rateLimiter: rateLimits.limiter,
  loadShedding: loadSheddingLimitsOf(config),
  ...(stripe ? { billing: { ...stripe, webhookRecords: createWebhookRecords(pool), connectedAccounts: createConnectedAccounts(pool), memberCheckouts: createMemberCheckouts(pool), gracePeriodSeconds: config.BILLING_GRACE_PERIOD_SECONDS,
    memberGracePeriodSeconds: config.MEMBER_GRACE_PERIOD_SECONDS, platformFeePercent: config.PLATFORM_FEE_PERCENT } } : {}),
  ...(mail ? { invitations: { mail, acceptUrl: config.INVITATION_ACCEPT_URL, ttlSeconds: config.INVITATION_TTL_SECONDS } } : {}),
  now: () => new Date().toISOString(),
  newId: createUuidV7Generator(),
  consoleOrigins: config.CONSOLE_ORIGINS,
}, {
  logger: { level: config.LOG_LEVEL },
  logRequests: config.LOG_REQUESTS,
  ready: async () => {
    await pool.query('SELECT 1');
  },
});
await listenWithBacklog(app, config, config.COMMAND_API_PORT);

closeOnSignal('command-api', async () => {
  await app.close();
  await liveness.stop();
  await rateLimits.close();
  await tenantSettings.close();
  await mail?.close?.();
  await pool.end();
});
