import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { toEventMessage } from '../infra/bus/kafka/event-message';
import { ensureTopic } from '../infra/bus/kafka/topics';
import { createTestAnalyticsStore } from '../infra/analytics/test-analytics-store';
import { createTestDatabase } from '../infra/postgres/test-database';
import { clickHouseAnalytics } from '../projectors/analytics/analytics-projection';
import { analyticsApplier, startKafkaProjector } from '../projectors/runtime/kafka-projector';
import { analyticsFixture } from '../query-api/analytics/analytics-fixture';
import { readEngagement } from '../query-api/analytics/engagement-query';
import { readRetention } from '../query-api/analytics/retention-query';
import { readRevenue } from '../query-api/analytics/revenue-query';
import { kafkaTest, startTestBroker } from './kafka-harness';
import { until } from './until';

const test = kafkaTest();

test('the analytics projection consumes Kafka into ClickHouse; applied again from offset 0, no figure moves', async () => {
  const broker = await startTestBroker();
  const database = await createTestDatabase();
  const analytics = await createTestAnalyticsStore();
  const kafka = new Kafka({ brokers: [broker.brokers], clientId: 'analytics-test', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const fixture = analyticsFixture();
  const { tenantId } = fixture;
  const figures = async () => JSON.stringify(await Promise.all([
    readEngagement(analytics, { tenantId, from: '2026-03-01', to: '2026-03-07', interval: 'day' }),
    readRetention(analytics, { tenantId, from: '2026-01-01', to: '2026-03-31', mode: 'on' }),
    readRevenue(analytics, { tenantId, from: '2026-01-01', to: '2026-03-31', currency: 'EUR' }),
  ]));
  const applied = async () => Number((await database.pool.query(
    'SELECT coalesce(sum(next_offset), 0) AS n FROM projection_partition_offsets WHERE projection = $1', [clickHouseAnalytics.name])).rows[0].n);
  let projector: Awaited<ReturnType<typeof startKafkaProjector>> | undefined;
  const startProjector = () => startKafkaProjector({ kafka, pool: database.pool, topic: 'events', applier: analyticsApplier(analytics, database.pool, clickHouseAnalytics, 'events') });
  try {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, 'events', 3);
    await admin.disconnect();
    await producer.connect();
    // As the publisher sends them: keyed by stream, in log order.
    await producer.send({ topic: 'events', acks: -1, messages: fixture.events.map(toEventMessage) });
    projector = await startProjector();
    await until(async () => (await applied()) === fixture.events.length, 'every event applied');
    const once = JSON.parse(await figures());
    // The hand-computed figures of query-api/analytics/analytics-definitions.test.ts.
    assert.equal([once[0].dau, once[0].wau, once[0].mau], [1, 4, 4]);
    assert.equal(once[1].cohorts.map((c: { retained: number[] }) => c.retained), [[0, 0, 2], [1, 1], [0]]);
    assert.equal(once[2].months.map((m: { mrrCents: number }) => m.mrrCents), [3000, 5500, 2300]);

    // The checkpoints are lost (as if PostgreSQL had been restored from an older backup): the
    // projector starts again from offset 0 and writes every fact a second time.
    await projector.stop();
    await database.pool.query('UPDATE projection_partition_offsets SET next_offset = 0, position = 0 WHERE projection = $1', [clickHouseAnalytics.name]);
    projector = await startProjector();
    await until(async () => (await applied()) === fixture.events.length, 'every event applied again');
    assert.is(await figures(), JSON.stringify(once));
  } finally {
    await projector?.stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await analytics.close();
    await database.drop();
    await broker.remove();
  }
});

test.run();
