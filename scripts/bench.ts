/**
 * `npm run bench` measures, in one run against the running platform (start it with `npm start`),
 * and prints JSON: command throughput and latency for a create/update/suspend/reactivate mix over
 * many tenants; beside it, the raw single-row INSERT ceiling of the same PostgreSQL at the same
 * concurrency; member-list query throughput over a tenant of 100k members, and beside it the same
 * reads straight from PostgreSQL by this process (no HTTP); projection lag at a
 * fixed command rate; and the platform's resident memory. Then, as users see them: read-your-writes
 * (updates at a fixed rate, each followed by a read with X-Consistency-Position) and, after seeding
 * subscriptions and activities through the API, analytics routes under concurrent clients.
 *
 * Options: --concurrency 24 --seconds 15 --tenants 20 --list-members 100000 --lag-rate 500
 * --ryw-rate 500 --ryw-members 50 (per tenant) --seed-activities 100000 --analytics-clients 16
 * Environment: COMMAND_API_URL, QUERY_API_URL, DATABASE_URL (default: the embedded server), JWT_SECRET,
 * QUERY_DATABASE_URL or QUERY_DB_PASSWORD (the list ceiling reads as the query role; with DATABASE_URL, one is needed).
 *
 * `npm run bench -- --live` measures live updates instead, on the running platform: --subscribers
 * 1000 SSE clients over --tenants 20, member updates at --live-rate 500/s for --seconds, and the
 * time from each change to its event at every subscriber of its tenant, with resident memory.
 *
 * `npm run bench -- --distributed` measures the distributed path instead, on its own (no running
 * platform needed): end-to-end lag through Kafka at a fixed command rate, read-your-writes through
 * the query-API process at --ryw-rate, and projector catch-up
 * throughput on a backlog. Options: --kafka-rate 1000 --seconds 15 --backlog 200000 --ryw-warm-up 5 (seconds
 * of the same load before the measured run, reported apart; 0 measures a cold query API) [--profile <dir>]
 * (CPU profiles of the role processes, for Chrome DevTools).
 * Environment: DATABASE_URL and KAFKA_BROKERS (default: throw-away embedded PostgreSQL and broker).
 *
 * `npm run bench -- --analytics` measures analytics on its own: rebuild throughput into ClickHouse
 * over a log of 1,000,000 activity events, then retention and engagement query latency on that
 * data. Options: --activities 1000000 --members 20000 --queries 200.
 * Environment: DATABASE_URL, CLICKHOUSE_URL (default: throw-away embedded PostgreSQL and chDB).
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createTokenService } from '../infra/auth/jwt';
import { loadConfig } from '../infra/config/config';
import { createPool } from '../infra/postgres/pool';
import { measureCommandMix } from './bench/command-mix';
import { measureListQueries } from './bench/list-queries';
import { measureListReadCeiling } from './bench/list-read-ceiling';
import { queryRoleCredentials } from './platform/query-role-credentials';
import { measureProjectionLag } from './bench/projection-lag';
import { measureRawInsertCeiling } from './bench/raw-insert-ceiling';
import { runAnalyticsBench } from './bench/analytics/analytics-bench';
import { runDistributedBench } from './bench/distributed/distributed-bench';
import { runBillingBench } from './bench/billing/billing-bench';
import { createBenchTenants, ensureLargeTenant } from './bench/setup';
import { startMemorySampler } from './bench/memory';
import { untilProjectionsCatchUp } from './bench/projections-caught-up';
import { measureUserFacingPhases, userFacingTargets } from './bench/user-facing-phases';
import { round } from './bench/stats';
import { liveTargets, measureLiveUpdates } from './bench/live/live-bench';
import { createJsonClient } from './load/http-client';

const { values } = parseArgs({ options: {
  concurrency: { type: 'string', default: '24' }, seconds: { type: 'string', default: '15' },
  tenants: { type: 'string', default: '20' }, 'list-members': { type: 'string', default: '100000' },
  'lag-rate': { type: 'string', default: '500' }, 'list-concurrency': { type: 'string', default: '16' },
  distributed: { type: 'boolean', default: false }, 'kafka-rate': { type: 'string', default: '1000' },
  backlog: { type: 'string', default: '200000' }, profile: { type: 'string' },
  analytics: { type: 'boolean', default: false }, activities: { type: 'string', default: '1000000' },
  members: { type: 'string', default: '20000' }, queries: { type: 'string', default: '200' },
  billing: { type: 'boolean', default: false }, 'billing-tenants': { type: 'string', default: '300' },
  'event-store': { type: 'boolean', default: false }, rounds: { type: 'string', default: '3' },
  'ryw-rate': { type: 'string', default: '500' }, 'ryw-warm-up': { type: 'string' }, 'ryw-members': { type: 'string', default: '50' },
  'seed-activities': { type: 'string', default: '100000' }, 'analytics-clients': { type: 'string', default: '16' },
  live: { type: 'boolean', default: false }, subscribers: { type: 'string', default: '1000' }, 'live-rate': { type: 'string', default: '500' },
} });
const log = (message: string) => console.error(`[bench] ${message}`);
if (values['event-store']) {
  // Our event store against Emmett's on one PostgreSQL (scripts/bench/event-store/event-store-bench.ts).
  const { runEventStoreBench } = await import('./bench/event-store/event-store-bench');
  const result = await runEventStoreBench({ concurrency: Number(values.concurrency), seconds: Number(values.seconds), rounds: Number(values.rounds), log, profileDir: values.profile });
  console.log(JSON.stringify({ machine: { cpus: (await import('node:os')).cpus().length, note: 'PostgreSQL and both stores on the same machine' }, ...result }, null, 2));
  process.exit(0);
}
if (values.analytics) {
  const result = await runAnalyticsBench({
    activities: Number(values.activities), members: Number(values.members), queries: Number(values.queries), log,
  });
  console.log(JSON.stringify({ machine: { cpus: (await import('node:os')).cpus().length, note: 'PostgreSQL and ClickHouse on the same machine' }, ...result }, null, 2));
  process.exit(0);
}
if (values.billing) {
  const result = await runBillingBench({ tenants: Number(values['billing-tenants']), log, profileDir: values.profile });
  console.log(JSON.stringify({ machine: { cpus: (await import('node:os')).cpus().length, note: 'platform, PostgreSQL, Stripe stand-in and load on the same machine' }, ...result }, null, 2));
  process.exit(0);
}
if (values.distributed) {
  const warmUp = values['ryw-warm-up'];
  if (warmUp !== undefined && !(Number(warmUp) >= 0)) throw new Error(`--ryw-warm-up: seconds, 0 or more (got ${warmUp})`);
  const result = await runDistributedBench({
    rate: Number(values['kafka-rate']), durationMs: Number(values.seconds) * 1000, backlog: Number(values.backlog), tenants: 10, log, profileDir: values.profile,
    rywRate: Number(values['ryw-rate']), rywMembersPerTenant: Number(values['ryw-members']),
    ...(warmUp === undefined ? {} : { rywWarmUpSeconds: Number(warmUp) }),
  });
  console.log(JSON.stringify({ machine: { cpus: (await import('node:os')).cpus().length, note: 'every process on the same machine' }, ...result }, null, 2));
  process.exit(0);
}
const concurrency = Number(values.concurrency);
const durationMs = Number(values.seconds) * 1000;
const config = loadConfig(process.env, { allowDevelopmentSecrets: true });
const tokens = createTokenService(config.jwtSecret, config.jwtAudience);
const commandUrl = process.env.COMMAND_API_URL ?? `http://127.0.0.1:${config.COMMAND_API_PORT}`;
const queryUrl = process.env.QUERY_API_URL ?? `http://127.0.0.1:${config.QUERY_API_PORT}`;
const commandClient = createJsonClient(commandUrl, 128);
const queryClient = createJsonClient(queryUrl, 64);
const databaseUrl = config.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${config.EMBEDDED_POSTGRES_PORT}/membership`;
const pool = createPool({ connectionString: databaseUrl, max: concurrency + 2, applicationName: 'membership-bench' });
const run = randomUUID().slice(0, 8);

if (values.live) {
  const memory = startMemorySampler(commandClient);
  try {
    const live = await measureLiveUpdates({
      commandClient, queryUrl, tokens, run, tenants: Number(values.tenants), subscribers: Number(values.subscribers),
      rate: Number(values['live-rate']), durationMs, memory, log,
    });
    console.log(JSON.stringify({ machine: { cpus: (await import('node:os')).cpus().length, note: 'platform, subscribers and load on the same machine' },
      live, targets: liveTargets }, null, 2));
  } finally {
    memory.stop();
    commandClient.close();
    queryClient.close();
    await pool.end();
  }
  process.exit(0);
}

try {
  // Known before any phase runs: with DATABASE_URL and no query-role password, refuse at once.
  const { queryDatabaseUrl } = queryRoleCredentials(config, { url: databaseUrl, createdHere: !config.DATABASE_URL });
  const memory = startMemorySampler(commandClient);
  log(`setting up ${values.tenants} tenants`);
  const tenants = await createBenchTenants(commandClient, tokens, Number(values.tenants), run);
  log(`ensuring a tenant with ${values['list-members']} members (created through the API once, then reused)`);
  const large = await ensureLargeTenant(commandClient, queryClient, tokens, Number(values['list-members']), config.DATA_DIR, log);
  log('raw INSERT ceiling');
  const rawInsert = await measureRawInsertCeiling(pool, concurrency, durationMs);
  log('command mix');
  memory.reset();
  const commands = await measureCommandMix(commandClient, tenants, concurrency, durationMs, run);
  const commandPhaseRssMb = memory.maxMb();
  const projectionsCaughtUpAfterS = await untilProjectionsCatchUp(pool);
  log(`projections caught up ${projectionsCaughtUpAfterS} s after the command mix`);
  log('member-list queries');
  const listQueries = await measureListQueries(queryClient, large.token, Number(values['list-concurrency']), durationMs);
  log('the same reads straight from PostgreSQL (the list ceiling)');
  const listReadCeiling = await measureListReadCeiling(queryDatabaseUrl, large.tenantId, Number(values['list-concurrency']), durationMs);
  log(`projection lag at ${values['lag-rate']} commands/s`);
  memory.reset();
  const lag = await measureProjectionLag(commandClient, queryClient, pool, tenants, Number(values['lag-rate']), durationMs, run);
  const lagPhaseRssMb = memory.maxMb();
  const userFacing = await measureUserFacingPhases({
    commandClient, queryClient, commandUrl, queryUrl, tenants, membersPerTenant: Number(values['ryw-members']),
    rywRate: Number(values['ryw-rate']), activities: Number(values['seed-activities']),
    analyticsClients: Number(values['analytics-clients']), durationMs, run, memory, log,
  });
  memory.stop();
  console.log(JSON.stringify({
    machine: { cpus: (await import('node:os')).cpus().length, note: 'load generator on the same machine' },
    commands: { ...commands, rawInsertCeiling: rawInsert, ratioToRawInsert: round(commands.commandsPerSecond / rawInsert.commitsPerSecond, 3),
      projectionsCaughtUpAfterS },
    listQueries: { ...listQueries, readCeiling: listReadCeiling, ratioToReadCeiling: round(listQueries.queriesPerSecond / listReadCeiling.readsPerSecond, 3) },
    projectionLag: lag,
    ...userFacing,
    platformResidentMemoryMb: { commandMix: commandPhaseRssMb, atLagRate: lagPhaseRssMb },
    targets: {
      commands: '>= 1500/s at p99 <= 50 ms', listQueries: '>= 2000/s at p99 <= 20 ms',
      projectionLag: 'p99 <= 200 ms at 500 commands/s', memory: '< 400 MB resident', ...userFacingTargets,
    },
  }, null, 2));
} finally {
  commandClient.close();
  queryClient.close();
  await pool.end();
}
