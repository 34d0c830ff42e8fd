import { z } from 'zod';
import { defaultTokenAudience, type TokenAudience } from '../auth/token-claims';
import { readerCeilings } from '../analytics/access/reader-access';
import { defaultReadLimits } from '../analytics/tenant-reads';
import { defaultLoadSheddingLimits, type LoadSheddingLimits } from '../http/load-shedding';
import { defaultListenBacklog } from '../http/listen-options';
import { isLoopbackHost } from './loopback-host';

/**
 * Defaults of settings read by processes above infra/ (the query API's read-your-writes waiters,
 * the embedded platform's write back-pressure): declared here, where the layering lets both the
 * configuration and those processes import them.
 */
export const defaultMaxWaitersPerTenant = 100;
export const defaultMaxProjectionLagMs = 2000;

/** Development secrets: only ever used by the embedded runner, which says so loudly at start. */
export const developmentSecrets = {
  jwtSecret: 'development-only-jwt-secret-do-not-use-in-production',
  queryRolePassword: 'development-only-query-password',
};

const port = z.coerce.number().int().min(0).max(65535);

/** DESIGN §11's defaults: 14 days of grace for members' unpaid dues, no platform fee. */
export const memberDuesDefaults = { memberGracePeriodSeconds: 1_209_600, platformFeePercent: 0 };

/** Invitations (DESIGN §12): where the mailed link points, how long it lives, who the mail is from. */
export const invitationDefaults = {
  acceptUrl: 'http://127.0.0.1:3001/console/accept.html', ttlSeconds: 604_800, mailFrom: 'Membership platform <no-reply@localhost>',
};

/**
 * The admin console (query-api/console/) on the query API calls the command API from the browser:
 * the origins it is served from (the command API's CORS) and the command API origins it may call
 * (its Content-Security-Policy), the default ports on both names of the loopback host.
 */
export const consoleDefaults = {
  origins: ['http://127.0.0.1:3001', 'http://localhost:3001'],
  commandApiOrigins: ['http://127.0.0.1:3000', 'http://localhost:3000'],
};
/** Comma-separated origins (scheme://host[:port], no path). */
const origins = z.string().transform((text) => text.split(',').map((item) => item.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s,]+$/, 'an origin: http(s)://host[:port], no path')));

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  /** Where the query API connects; by default DATABASE_URL with the query role's credentials. */
  QUERY_DATABASE_URL: z.string().url().optional(),
  QUERY_DB_ROLE: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('membership_query'),
  QUERY_DB_PASSWORD: z.string().min(8).optional(),
  JWT_SECRET: z.string().min(32).optional(),
  /** `iss` and `aud` of the platform's tokens: every process of one deployment must agree. */
  JWT_ISSUER: z.string().min(1).default(defaultTokenAudience.issuer),
  JWT_AUDIENCE: z.string().min(1).default(defaultTokenAudience.audience),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_POSTGRES_PORT: port.default(54329),
  HOST: z.string().default('127.0.0.1'),
  COMMAND_API_PORT: port.default(3000),
  QUERY_API_PORT: port.default(3001),
  /** The APIs' accept queue (listen-options.ts); the kernel caps it at net.core.somaxconn. */
  HTTP_LISTEN_BACKLOG: z.coerce.number().int().min(1).max(65535).default(defaultListenBacklog),
  CONSISTENCY_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(5_000),
  /** Read-your-writes requests of one tenant that may wait at once per process; beyond, 503 consistency-overloaded. */
  CONSISTENCY_MAX_WAITERS_PER_TENANT: z.coerce.number().int().min(1).default(defaultMaxWaitersPerTenant),
  /** Load shedding (infra/http/load-shedding.ts): requests in flight per API and process, event-loop delay (p99, ms). */
  MAX_REQUESTS_IN_FLIGHT: z.coerce.number().int().min(1).default(defaultLoadSheddingLimits.maxInFlight),
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(10).default(defaultLoadSheddingLimits.maxEventLoopDelayMs),
  /** Embedded: read-model projection lag past which commands are shed (scripts/platform/projection-pressure.ts). */
  MAX_PROJECTION_LAG_MS: z.coerce.number().int().min(100).default(defaultMaxProjectionLagMs),
  /** The operator's cap on every rate-limit bucket (the plans' rates are in domain/tenant/plans.ts); bursts of twice it. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).default(5000),
  LOG_REQUESTS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Distributed mode: comma-separated broker addresses. Unset means the in-process bus. */
  KAFKA_BROKERS: z.string().regex(/^[^,\s]+(,[^,\s]+)*$/, 'host:port[,host:port…]').optional(),
  KAFKA_TOPIC: z.string().regex(/^[a-zA-Z0-9._-]{1,200}$/).default('membership-events'),
  /** Used when the publisher creates the topic; an existing topic keeps its count. */
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  /** Replicas of the topics the roles create; unset, the cluster's broker count up to 3 (infra/bus/kafka/topics.ts). */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(10).optional(),
  /** How long the group waits for a silent projector before giving its partitions to another. */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(300_000).default(10_000),
  /**
   * Distributed mode: the ClickHouse server for analytics, with the database as its path
   * (http://host:8123/analytics). Embedded, analytics run on chDB under DATA_DIR/chdb. Without it
   * the distributed roles run no analytics, and the query API answers its analytics routes 503.
   */
  CLICKHOUSE_URL: z.string().url().optional(),
  /**
   * Where the query API reads analytics: the same server as a user granted the reader role
   * (infra/analytics/access/reader-access.ts: SELECT only, rows of the request's tenant only).
   */
  CLICKHOUSE_READER_URL: z.string().url().optional(),
  /** Bounds of each analytics read of the distributed query API (embedded: their defaults); the reader role caps them (readerCeilings). */
  ANALYTICS_QUERY_MAX_SECONDS: z.coerce.number().int().min(1).max(readerCeilings.maxExecutionSeconds).default(defaultReadLimits.maxExecutionSeconds),
  ANALYTICS_QUERY_MAX_MEMORY_BYTES: z.coerce.number().int().min(1024 ** 2).max(readerCeilings.maxMemoryBytes).default(defaultReadLimits.maxMemoryBytes),
  /** Kafka with SASL (docker-compose.yml: SASL_PLAINTEXT, PLAIN); unset mechanism means no SASL. */
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** /health, /ready and /metrics of the worker roles (they serve no API). */
  PUBLISHER_PORT: port.default(3002),
  PROJECTORS_PORT: port.default(3003),
  SCHEDULER_PORT: port.default(3004),
  /**
   * Billing (DESIGN §10). Without STRIPE_SECRET_KEY, embedded mode runs the local Stripe stand-in
   * with development values; a distributed command API runs without billing (its routes answer 503).
   */
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_/, 'a Stripe secret or restricted key (sk_…, rk_…)').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(8).optional(),
  /** `plan:interval=price_id,…`, e.g. `pro:month=price_1Q…,pro:year=price_1R…`. */
  STRIPE_PRICES: z.string().optional(),
  BILLING_GRACE_PERIOD_SECONDS: z.coerce.number().int().min(0).max(90 * 86400).default(604_800),
  /** Membership dues (DESIGN §11): the Connect endpoint's secret; unset, Connect events verify with STRIPE_WEBHOOK_SECRET. */
  STRIPE_CONNECT_WEBHOOK_SECRET: z.string().min(8).optional(),
  MEMBER_GRACE_PERIOD_SECONDS: z.coerce.number().int().min(0).max(90 * 86400).default(memberDuesDefaults.memberGracePeriodSeconds),
  /** The platform's application fee on members' Stripe subscriptions, in percent. */
  PLATFORM_FEE_PERCENT: z.coerce.number().min(0).max(100).default(memberDuesDefaults.platformFeePercent),
  SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
  /**
   * Distributed mode (DESIGN §12): rate limits, the tenant-settings cache, stream tickets and live
   * updates shared through Redis. Unset, each process keeps them in memory (embedded mode).
   */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'redis://host:port').optional(),
  /** Invitations' mail (DESIGN §12): smtp(s)://user:pass@host:port; unset, the development outbox (embedded only). */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'smtp://host:port').optional(),
  MAIL_FROM: z.string().min(3).default(invitationDefaults.mailFrom),
  /** Where an invitation's link sends the invitee: the console's accept page. */
  INVITATION_ACCEPT_URL: z.string().url().default(invitationDefaults.acceptUrl),
  INVITATION_TTL_SECONDS: z.coerce.number().int().min(60).max(90 * 86400).default(invitationDefaults.ttlSeconds),
  /** Where the console is served (the query API's origins): the command API allows them by CORS. */
  CONSOLE_ORIGINS: origins.default(consoleDefaults.origins),
  /** The command API's origins as the console's browsers reach it: its CSP lets the console call only these. */
  CONSOLE_COMMAND_API_ORIGINS: origins.default(consoleDefaults.commandApiOrigins),
});

/** Every environment variable the configuration reads (a test clears them all from what a script inherits). */
export const configVariableNames = Object.keys(schema.shape) as (keyof typeof schema.shape)[];

export type SecretName = 'JWT_SECRET' | 'QUERY_DB_PASSWORD';

export type Config = z.infer<typeof schema> & {
  jwtSecret: string; jwtAudience: TokenAudience; queryRolePassword: string; usesDevelopmentSecrets: boolean;
};

/**
 * Reads the environment once, at start. Secrets have no default, except in embedded development
 * mode, where the caller passes `allowDevelopmentSecrets` and must warn the user.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv, options: { allowDevelopmentSecrets: boolean; secrets?: readonly SecretName[] },
): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const values = parsed.data;
  const needed = options.secrets ?? ['JWT_SECRET', 'QUERY_DB_PASSWORD'];
  const missing = needed.filter((name) => !values[name]);
  if (missing.length > 0 && !options.allowDevelopmentSecrets) {
    throw new Error(`Missing configuration: ${missing.join(', ')} (no defaults outside embedded development mode)`);
  }
  const jwtSecret = values.JWT_SECRET ?? developmentSecrets.jwtSecret;
  refuseDevelopmentJwtSecretOnNetwork(values.HOST, jwtSecret, values.JWT_SECRET !== undefined);
  return {
    ...values,
    jwtSecret,
    jwtAudience: { issuer: values.JWT_ISSUER, audience: values.JWT_AUDIENCE },
    queryRolePassword: values.QUERY_DB_PASSWORD ?? developmentSecrets.queryRolePassword,
    usesDevelopmentSecrets: missing.length > 0,
  };
}

/**
 * The development secret is public (it is in this file): whoever reaches a process that verifies
 * with it can mint a platform token. So it is only ever used on a loopback HOST, whether it comes
 * as the embedded default or was copied into JWT_SECRET.
 */
function refuseDevelopmentJwtSecretOnNetwork(host: string, jwtSecret: string, fromEnvironment: boolean) {
  if (jwtSecret !== developmentSecrets.jwtSecret || isLoopbackHost(host)) return;
  const source = fromEnvironment ? 'JWT_SECRET is the development secret' : 'JWT_SECRET is not set (the development secret would be used)';
  throw new Error(`Refusing to start: ${source} and HOST=${host} is not a loopback address, so anyone who reaches it `
    + 'could mint a platform token. Set JWT_SECRET to a secret of your own (32+ characters), or listen on 127.0.0.1.');
}

/** The load-shedding bounds of an API process, as configured (command API, query API, npm start). */
export const loadSheddingLimitsOf = (config: Pick<Config, 'MAX_REQUESTS_IN_FLIGHT' | 'MAX_EVENT_LOOP_DELAY_MS'>): Partial<LoadSheddingLimits> =>
  ({ maxInFlight: config.MAX_REQUESTS_IN_FLIGHT, maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS });

/** For the distributed roles: a setting they cannot run without, named in the error. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`Missing configuration: ${name} (this role needs it)`);
  return value;
}
