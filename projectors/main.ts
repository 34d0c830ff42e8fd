/**
 * The projectors as their own process (distributed mode): `npm run start:projectors`.
 * Consumes KAFKA_TOPIC from KAFKA_BROKERS in one consumer group per projection and writes the read
 * models to DATABASE_URL; serves /health, /ready and /metrics on PROJECTORS_PORT. Run as many as
 * there are partitions to share: the group spreads them, the result is the same as with one.
 */
import { createClickHouseStore } from '../infra/analytics/clickhouse-store';
import { migrateAnalytics } from '../infra/analytics/migrate-analytics';
import { loadConfig } from '../infra/config/config';
import { buildOperationsServer } from '../infra/http/operations-server';
import { metricFamily, type Sample } from '../infra/metrics/prometheus-text';
import { closeOnSignal } from '../infra/process/shutdown';
import { connectWorker } from './connect-worker';
import { createRedisNotifier } from '../infra/live/redis-notifier';
import { wakingLiveStreams } from './members/live-change-wakeups';
import { postgresReadModels } from './read-models';
import { analyticsApplier, readModelApplier, startKafkaProjector } from './runtime/kafka-projector';
import { clickHouseAnalytics } from './analytics/analytics-projection';
import { deadLetterMetrics } from './runtime/dead-letters';
import { measureProjectorLag } from './runtime/projector-lag';
import { watermarkMetrics } from './runtime/watermark-age';

const config = loadConfig(process.env, { allowDevelopmentSecrets: false, secrets: [] });
const { pool, kafka, admin, topic } = await connectWorker(config, 'projectors', 8);

const analytics = config.CLICKHOUSE_URL ? await createClickHouseStore({ url: config.CLICKHOUSE_URL }) : undefined;
if (analytics) await migrateAnalytics(analytics);

const operations = buildOperationsServer({
  logger: { level: config.LOG_LEVEL },
  ready: async () => {
    await pool.query('SELECT 1');
    await admin.fetchTopicMetadata({ topics: [topic] });
    await analytics?.ping();
  },
  metrics: async () => {
    const lags: Sample[] = [];
    const seconds: Sample[] = [];
    const assigned: Sample[] = [];
    for (const { projection, running } of projectors) {
      const labels = { projection: projection.name, topic };
      const lag = await measureProjectorLag(pool, admin, projection.name, topic);
      lags.push({ labels, value: lag.events });
      seconds.push({ labels, value: lag.seconds });
      assigned.push({ labels, value: running.counters.assignedPartitions });
    }
    return metricFamily('projector_lag_events', 'gauge', 'Messages on the topic the projection has not applied yet', lags)
      + metricFamily('projector_lag_seconds', 'gauge', 'Age of the oldest event the projection has not applied (an upper bound)', seconds)
      + await deadLetterMetrics(pool, projectors.map(({ projection }) => ({ projection: projection.name, source: topic })))
      + metricFamily('projector_assigned_partitions', 'gauge', 'Partitions of the topic this process holds in its consumer group', assigned)
      + await watermarkMetrics(pool);
  },
});

if (!analytics) operations.log.warn('CLICKHOUSE_URL is not set: no analytics projection in this process');
// The query APIs' live streams are woken through Redis after each read-model batch (DESIGN §12);
// without REDIS_URL they find the changes by their own poll, a second later.
const liveNotifier = config.REDIS_URL
  ? createRedisNotifier(config.REDIS_URL, { onError: (error) => operations.log.warn({ err: error }, 'Redis (live updates) unreachable') }) : undefined;
const readModels = readModelApplier(pool, postgresReadModels, topic);
const appliers = [
  liveNotifier ? wakingLiveStreams(readModels, liveNotifier) : readModels,
  ...(analytics ? [analyticsApplier(analytics, pool, clickHouseAnalytics, topic)] : []),
];
const projectors = await Promise.all(appliers.map(async (applier) => ({
  projection: applier,
  running: await startKafkaProjector({
    kafka, pool, applier, topic, sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS, replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    onError: (error) => operations.log.error({ err: error, projection: applier.name }, 'projection error'),
  }),
})));
await operations.listen({ host: config.HOST, port: config.PROJECTORS_PORT });
operations.log.info(`projecting ${topic} into ${appliers.map((a) => a.name).join(', ')}`);

closeOnSignal('projectors', async () => {
  for (const { running } of projectors) await running.stop();
  await admin.disconnect();
  await liveNotifier?.close();
  await analytics?.close();
  await operations.close();
  await pool.end();
});
