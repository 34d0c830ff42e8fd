import type { FastifyServerOptions } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { buildCommandApi } from '../../command-api/app';
import { eventDefinitions } from '../../domain/event-definitions';
import { createTokenService } from '../../infra/auth/jwt';
import { guardEventStore } from '../../infra/event-store/guarded-event-store';
import type { EventStore } from '../../infra/event-store/port';
import { createPostgresEventStore } from '../../infra/event-store/postgres-event-store';
import { createPostgresIdempotencyStore } from '../../infra/idempotency/postgres-idempotency-store';
import { migrate } from '../../infra/postgres/migrate';
import { createPool } from '../../infra/postgres/pool';
import { createTokenBucketLimiter } from '../../infra/rate-limit/token-bucket';
import { createReadModelDatabase } from '../../infra/read-models/database';
import { startLogTail } from '../../projectors/runtime/log-tail';
import { postgresReadModels } from '../../projectors/read-models';
import { buildQueryApi } from '../../query-api/app';
import { logCheckpointProgress } from '../../query-api/read-model-progress';

export type PlatformOptions = {
  databaseUrl: string;
  queryDatabaseUrl: string;
  queryRole: string;
  queryRolePassword: string;
  jwtSecret: string;
  consistencyTimeoutMs: number;
  logger: FastifyServerOptions['logger'];
  logRequests?: boolean;
  /** Requests per second per tenant, on each API; bursts up to twice that. */
  rateLimitPerSecond: number;
  onProjectionError?: (error: unknown) => void;
};

/**
 * The embedded platform in one process: event store, both APIs and the read-model projection
 * fed by an in-process tail of the log. Shared by `npm start` and the end-to-end tests.
 */
export async function buildEmbeddedPlatform(options: PlatformOptions) {
  const writePool = createPool({ connectionString: options.databaseUrl, max: 20, applicationName: 'membership-platform' });
  await migrate(writePool, { queryRole: options.queryRole, queryRolePassword: options.queryRolePassword });
  const queryPool = createPool({ connectionString: options.queryDatabaseUrl, max: 20, applicationName: 'membership-query-api' });
  const projectionPool = createPool({ connectionString: options.databaseUrl, max: 2, applicationName: 'membership-projector' });

  const baseStore = guardEventStore(createPostgresEventStore(writePool), eventDefinitions);
  const tail = startLogTail(baseStore, projectionPool, postgresReadModels, { onError: options.onProjectionError });
  // After an append in this process, wake the tail at once instead of waiting for its next poll.
  const eventStore: EventStore = {
    ...baseStore,
    append: async (...args) => {
      const result = await baseStore.append(...args);
      tail.nudge();
      return result;
    },
  };
  const tokens = createTokenService(options.jwtSecret);
  const limiter = () => createTokenBucketLimiter({ ratePerSecond: options.rateLimitPerSecond, burst: options.rateLimitPerSecond * 2 });
  const ready = async () => {
    await writePool.query('SELECT 1');
    await queryPool.query('SELECT 1');
  };
  const commandApi = buildCommandApi({
    eventStore, tokens, rateLimiter: limiter(), idempotency: createPostgresIdempotencyStore(writePool),
    now: () => new Date().toISOString(), newId: () => uuidv7(),
  }, { logger: options.logger, ready, logRequests: options.logRequests ?? false });
  const db = createReadModelDatabase(queryPool);
  const queryApi = buildQueryApi({ db, tokens, rateLimiter: limiter(), consistencyTimeoutMs: options.consistencyTimeoutMs, progress: logCheckpointProgress(db) }, { logger: options.logger, ready, logRequests: options.logRequests ?? false });

  return {
    commandApi,
    queryApi,
    eventStore,
    tokens,
    writePool,
    async close() {
      await Promise.all([commandApi.close(), queryApi.close()]);
      await tail.stop();
      await db.destroy();
      await Promise.all([writePool.end(), projectionPool.end()]);
    },
  };
}

export type EmbeddedPlatform = Awaited<ReturnType<typeof buildEmbeddedPlatform>>;
