import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTokenService } from '../../../infra/auth/jwt';
import { createKafka } from '../../../infra/bus/kafka/kafka-client';
import { eventDefinitions } from '../../../domain/event-definitions';
import { guardEventStore } from '../../../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../../../infra/event-store/postgres-event-store';
import { findFreePort } from '../../../infra/postgres/free-port';
import { createPool } from '../../../infra/postgres/pool';
import { removeKafkaBroker, startKafkaBroker } from '../../kafka/kafka-broker';
import { createJsonClient } from '../../load/http-client';
import { readGauge, startRole, waitUntilServing, type RoleName, type RoleProcess } from '../../platform/role-process';
import { createBenchTenants } from '../setup';
import { benchDatabase } from '../bench-database';
import { round } from '../stats';
import { appendBacklog } from './backlog';
import { measureCatchUp } from './catch-up';
import { measureKafkaLag } from './kafka-lag';
import { measureReadYourWritesThroughKafka } from './read-your-writes-through-kafka';

/** Seconds of the read-your-writes load before the measured run (reported apart as warmUp). */
export const defaultRywWarmUpSeconds = 5;

export type DistributedBenchOptions = {
  rate: number; durationMs: number; backlog: number; tenants: number; log: (m: string) => void;
  /** Where the roles write CPU profiles (node --cpu-prof), if anywhere. */
  profileDir?: string;
  /** Updates/s of the read-your-writes phase, and the members per tenant it updates. */
  rywRate?: number; rywMembersPerTenant?: number;
  /** Seconds of the same load before that phase is measured (its figures reported as `warmUp`); 0: none. */
  rywWarmUpSeconds?: number;
};

/**
 * The distributed path, self-contained: PostgreSQL (DATABASE_URL, or a throw-away embedded one),
 * Kafka (KAFKA_BROKERS, or a throw-away broker from the project's script), and the command API,
 * query API, publisher and projectors as separate processes, as `npm run start:<role>` runs them.
 */
export async function runDistributedBench(options: DistributedBenchOptions) {
  const { log } = options;
  const scratch = await mkdtemp(path.join(tmpdir(), 'bench-distributed-'));
  let database: Awaited<ReturnType<typeof benchDatabase>> | undefined;
  let brokerDir: string | undefined;
  const roles: RoleProcess[] = [];
  try {
    database = await benchDatabase(log);
    const databaseUrl = database.url;
    let brokers = process.env.KAFKA_BROKERS;
    // The throw-away broker's process, whose CPU the read-your-writes phase reports beside the roles'.
    let brokerPid: number | undefined;
    if (!brokers) {
      log('starting a throw-away Kafka broker');
      brokerDir = path.join(scratch, 'kafka');
      const broker = await startKafkaBroker({ dir: brokerDir, artefactsDir: path.resolve('.data', 'kafka-artefacts') });
      brokers = broker.brokers;
      brokerPid = broker.pid;
    }
    const run = randomUUID().slice(0, 8);
    const topic = `bench-${run}`;
    const ports = { command: await findFreePort(), query: await findFreePort(), publisher: await findFreePort(), projectors: await findFreePort() };
    const jwtSecret = randomBytes(32).toString('base64url');
    const env = {
      DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers, KAFKA_TOPIC: topic, KAFKA_PARTITIONS: '6', JWT_SECRET: jwtSecret,
      QUERY_DB_PASSWORD: queryRolePassword(database.embedded), LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1', COMMAND_API_PORT: String(ports.command),
      PUBLISHER_PORT: String(ports.publisher), PROJECTORS_PORT: String(ports.projectors), QUERY_API_PORT: String(ports.query),
    };
    const start = (role: RoleName) => {
      const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.profileDir)}`] : [];
      const started = startRole(role, env, path.join(scratch, `${role}-${roles.length}.log`), profile);
      roles.push(started);
      return started;
    };
    log('starting command-api, query-api, publisher and projectors as processes');
    start('command-api');
    await waitUntilServing(ports.command, 'process_resident_memory_bytes');
    // After the command API: it applies the migrations the query API's start-up checks read.
    start('query-api');
    await waitUntilServing(ports.query, 'process_resident_memory_bytes');
    let publisher = start('publisher');
    let projectors = start('projectors');
    await waitUntilServing(ports.publisher, 'publisher_lag_events');
    await waitUntilServing(ports.projectors, 'projector_lag_events');

    const client = createJsonClient(`http://127.0.0.1:${ports.command}`, 256);
    const pool = createPool({ connectionString: databaseUrl, max: 20, applicationName: 'membership-bench' });
    const kafka = createKafka(brokers, 'membership-bench', { quiet: true });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const tenants = await createBenchTenants(client, createTokenService(jwtSecret), options.tenants, run);
      log(`end-to-end lag through Kafka at ${options.rate} commands/s`);
      const lag = await measureKafkaLag(client, pool, topic, tenants, options.rate, options.durationMs, run);
      const readYourWrites = await measureReadYourWritesThroughKafka({
        client, tenants, ports, rate: options.rywRate ?? 500, membersPerTenant: options.rywMembersPerTenant ?? 50,
        durationMs: options.durationMs, warmUpMs: (options.rywWarmUpSeconds ?? defaultRywWarmUpSeconds) * 1000, run, log, pool,
        roles: { ...Object.fromEntries(roles.map((role) => [role.role, role.pid])), ...(brokerPid ? { 'kafka-broker': brokerPid } : {}) },
      });

      log(`appending a backlog of ${options.backlog} events with publisher and projectors stopped`);
      await Promise.all([publisher.kill('SIGTERM'), projectors.kill('SIGTERM')]);
      const store = guardEventStore(createPostgresEventStore(pool), eventDefinitions);
      const appendStart = Date.now();
      const appended = await appendBacklog(store, tenants[0]!.tenantId, options.backlog);
      const appendS = (Date.now() - appendStart) / 1000;

      log('publishing the backlog');
      const publishStart = Date.now();
      publisher = start('publisher');
      await waitUntilServing(ports.publisher, 'publisher_lag_events');
      while ((await readGauge(ports.publisher, 'publisher_lag_events')) !== 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const publishS = (Date.now() - publishStart) / 1000;

      log('projectors catching up on the backlog');
      const catchUp = await measureCatchUp(pool, admin, topic, () => {
        projectors = start('projectors');
      });
      return {
        path: 'command-api → PostgreSQL event store → publisher → Kafka → projectors → PostgreSQL read models → query-api, one process per role',
        kafkaLag: lag,
        readYourWrites,
        backlog: {
          appendedEvents: appended, appendEventsPerSecond: round(appended / appendS, 0),
          publisherEventsPerSecondIncludingStartUp: round(appended / publishS, 0),
        },
        projectorCatchUp: catchUp,
        targets: {
          kafkaLag: 'p99 <= 250 ms at 1000 commands/s', projectorCatchUp: '>= 20000 events/s into the PostgreSQL read models',
          readYourWrites: 'at 500 updates/s each followed by its read through the query API: read p99 <= 200 ms, no 503 (measured after the warm-up: the bench starts the query API, which has served nothing before this phase)',
        },
      };
    } finally {
      client.close();
      await admin.disconnect();
      await pool.end();
    }
  } catch (error) {
    // What the roles said last is what explains a failed run.
    for (const file of (await readdir(scratch)).filter((f) => f.endsWith('.log'))) {
      log(`--- ${file}\n${(await readFile(path.join(scratch, file), 'utf8')).trim().split('\n').slice(-10).join('\n')}`);
    }
    throw error;
  } finally {
    await Promise.all(roles.map((role) => role.kill('SIGTERM')));
    if (brokerDir) await removeKafkaBroker(brokerDir);
    await database?.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The command API sets the query role's password when it migrates: on a server of the user's
 * (DATABASE_URL) it must be the one their query API uses, so it is required; on the throw-away
 * server any will do.
 */
function queryRolePassword(throwAway: boolean) {
  if (process.env.QUERY_DB_PASSWORD) return process.env.QUERY_DB_PASSWORD;
  if (throwAway) return randomBytes(16).toString('base64url');
  throw new Error('With DATABASE_URL, set QUERY_DB_PASSWORD too: the benchmark\'s command API sets the query role\'s password');
}
