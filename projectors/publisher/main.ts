/**
 * The publisher as its own process (distributed mode): `npm run start:publisher`.
 * Reads DATABASE_URL, KAFKA_BROKERS, KAFKA_TOPIC and KAFKA_PARTITIONS (for creating the topic),
 * and serves /health, /ready and /metrics on PUBLISHER_PORT. Several may run: one publishes, the
 * others wait for its PostgreSQL advisory lock.
 */
import { eventDefinitions } from '../../domain/event-definitions';
import { createEventProducer } from '../../infra/bus/kafka/event-producer';
import { loadConfig } from '../../infra/config/config';
import { guardEventStore } from '../../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../../infra/event-store/postgres-event-store';
import { buildOperationsServer } from '../../infra/http/operations-server';
import { metricFamily } from '../../infra/metrics/prometheus-text';
import { acquireLeadership } from '../../infra/postgres/advisory-leadership';
import { closeOnSignal } from '../../infra/process/shutdown';
import { connectWorker } from '../connect-worker';
import { watermarkMetrics } from '../runtime/watermark-age';
import { measurePublisherLag } from './publisher-lag';
import { publisherCheckpointName, startPublisher } from './publisher';

const config = loadConfig(process.env, { allowDevelopmentSecrets: false, secrets: [] });
const { pool, kafka, admin, topic } = await connectWorker(config, 'publisher', 4);
const producer = createEventProducer(kafka);
await producer.connect();

let published = 0;
let active = false;
const operations = buildOperationsServer({
  logger: { level: config.LOG_LEVEL },
  ready: async () => {
    await pool.query('SELECT 1');
    await admin.fetchTopicMetadata({ topics: [topic] });
  },
  metrics: async () => {
    const lag = await measurePublisherLag(pool, topic);
    const labels = { topic };
    return metricFamily('publisher_lag_events', 'gauge', 'Events in the log not yet acknowledged by Kafka', [{ labels, value: lag.events }])
      + metricFamily('publisher_lag_seconds', 'gauge', 'Age of the oldest event not yet acknowledged by Kafka', [{ labels, value: lag.seconds }])
      + metricFamily('publisher_published_events_total', 'counter', 'Events sent and acknowledged by this process', [{ labels, value: published }])
      + metricFamily('publisher_active', 'gauge', '1 when this instance holds the publisher lock', [{ labels, value: active ? 1 : 0 }])
      + await watermarkMetrics(pool);
  },
});
await operations.listen({ host: config.HOST, port: config.PUBLISHER_PORT });

const leadership = await acquireLeadership(pool, publisherCheckpointName(topic), {
  onWaiting: () => operations.log.info('another publisher is active; standing by'),
});
active = true;
const store = guardEventStore(createPostgresEventStore(pool), eventDefinitions);
const publisher = startPublisher({
  store, producer, pool, topic,
  // The log is polled when idle: every poll is one cheap indexed read, and the wait adds to the
  // end-to-end lag of every command (half of it on average).
  idleMs: 5,
  onError: (error) => operations.log.error({ err: error }, 'publishing failed; retrying from the checkpoint'),
  onPublished: (_position, events) => {
    published += events;
  },
});
operations.log.info(`publishing the event log to ${topic}`);

void leadership.lost.then(() => {
  operations.log.fatal('lost the publisher lock (database connection gone); exiting');
  process.exit(1);
});

closeOnSignal('publisher', async () => {
  await publisher.stop();
  await producer.disconnect();
  await admin.disconnect();
  await operations.close();
  await leadership.release();
  await pool.end();
});
