import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { buildCommandApi } from '../../command-api/app';
import { seedPlanUsageFromReadModels } from '../../command-api/plan-usage-seed';
import { eventDefinitions } from '../../domain/event-definitions';
import { createTokenService } from '../../infra/auth/jwt';
import { guardEventStore } from '../../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../../infra/event-store/postgres-event-store';
import { createPostgresIdempotencyStore } from '../../infra/idempotency/postgres-idempotency-store';
import { findFreePort } from '../../infra/postgres/free-port';
import { createTestDatabase, testQueryRole, type TestDatabase } from '../../infra/postgres/test-database';
import { createTokenBucketLimiter } from '../../infra/rate-limit/token-bucket';
import { readGauge, startRole, type RoleName, type RoleProcess } from '../../scripts/platform/role-process';
import { testJwtSecret } from '../platform-harness';
import { runCommandStream, type StreamResult } from './command-stream';

export type Scenario = {
  database: TestDatabase;
  topic: string;
  /** Starts a role process of this scenario; `port` is its /metrics port (publisher, projectors). */
  start: (role: RoleName, port: number) => RoleProcess;
  /**
   * Streams `commands` commands into the command API (in this process: it is not under test here)
   * while `disrupt` does its damage, and returns what the stream saw.
   */
  stream: (commands: number, disrupt: () => Promise<void>) => Promise<StreamResult>;
  /** How many commands the stream has sent so far, and whether it has finished. */
  progress: () => { sent: number; done: boolean };
  /** Kills every process started, drops the database; after a failure, prints the roles' last log lines first. */
  close: (failed: boolean) => Promise<void>;
};

/** One fault scenario of the distributed pipeline: a fresh database and topic, roles as real processes. */
export async function createScenario(brokers: string): Promise<Scenario> {
  const database = await createTestDatabase();
  const topic = `events-${uuidv7().slice(-8)}`;
  const logDir = await mkdtemp(path.join(tmpdir(), 'roles-'));
  const processes: RoleProcess[] = [];
  const env = {
    DATABASE_URL: database.url, KAFKA_BROKERS: brokers, KAFKA_TOPIC: topic, KAFKA_PARTITIONS: '4',
    KAFKA_SESSION_TIMEOUT_MS: '6000', QUERY_DB_ROLE: testQueryRole.queryRole, LOG_LEVEL: 'warn',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
  const tokens = createTokenService(testJwtSecret);
  const api = buildCommandApi({
    eventStore: guardEventStore(createPostgresEventStore(database.pool), eventDefinitions),
    // No process holds liveness number 0: this in-test API sends no Idempotency-Key anyway.
    idempotency: createPostgresIdempotencyStore(database.pool, { holder: 0 }), tokens, planUsageSeed: seedPlanUsageFromReadModels(database.pool),
    rateLimiter: createTokenBucketLimiter({ ratePerSecond: 100_000, burst: 100_000 }),
    now: () => new Date().toISOString(), newId: () => uuidv7(),
  }, { logger: false, ready: async () => undefined });
  let sent = 0;
  let done = false;
  return {
    database, topic,
    start: (role, port) => {
      const variable = role === 'publisher' ? 'PUBLISHER_PORT' : 'PROJECTORS_PORT';
      const started = startRole(role, { ...env, [variable]: String(port) }, path.join(logDir, `${role}-${port}.log`));
      processes.push(started);
      return started;
    },
    stream: async (commands, disrupt) => {
      const streaming = runCommandStream(api, tokens, { commands, concurrency: 12, tenants: 3, onProgress: (n) => { sent = n; } })
        .finally(() => { done = true; });
      const [result] = await Promise.all([streaming, disrupt()]);
      return result;
    },
    progress: () => ({ sent, done }),
    close: async (failed) => {
      await Promise.all(processes.map((p) => p.kill('SIGKILL')));
      await api.close();
      await database.drop();
      if (failed) {
        for (const file of await readdir(logDir)) {
          const lines = (await readFile(path.join(logDir, file), 'utf8')).trim().split('\n').slice(-15);
          console.error(`--- ${file} (last lines)\n${lines.join('\n')}`);
        }
      }
      await rm(logDir, { recursive: true, force: true });
    },
  };
}

export const freePort = findFreePort;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export { readGauge, waitUntilServing } from '../../scripts/platform/role-process';

/** Waits until the publisher and the projectors report no lag on their /metrics. */
export async function waitUntilCaughtUp(publisherPort: number, projectorsPort: number, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await readGauge(publisherPort, 'publisher_lag_events') === 0 && await readGauge(projectorsPort, 'projector_lag_events') === 0) return;
    if (Date.now() > deadline) throw new Error('the pipeline did not catch up in time');
    await sleep(500);
  }
}
