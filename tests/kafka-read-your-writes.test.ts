import { randomUUID } from 'node:crypto';
import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { eventDefinitions } from '../domain/event-definitions';
import { ensureTopic } from '../infra/bus/kafka/topics';
import { guardEventStore } from '../infra/event-store/guarded-event-store';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { createPool } from '../infra/postgres/pool';
import { createTestDatabase } from '../infra/postgres/test-database';
import { startPublisher } from '../projectors/publisher/publisher';
import { postgresReadModels } from '../projectors/read-models';
import { readModelApplier, startKafkaProjector } from '../projectors/runtime/kafka-projector';
import { followKafkaProgress } from '../query-api/kafka-progress';
import { createTenantPositions } from '../query-api/tenant-positions';
import { kafkaTest, startTestBroker } from './kafka-harness';
import { until } from './until';

const test = kafkaTest();

test('the Kafka projectors\' commits wake read-your-writes waiters at once, without readings; with the listener lost, polling does', async () => {
  const broker = await startTestBroker();
  const database = await createTestDatabase();
  const queryPool = createPool({ connectionString: database.queryUrl, max: 4, applicationName: 'kafka-ryw-test' });
  const kafka = new Kafka({ brokers: [broker.brokers], clientId: 'kafka-ryw-test', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const store = guardEventStore(createPostgresEventStore(database.pool), eventDefinitions);
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, 'events', 3);
    await admin.disconnect();
    await producer.connect();
    const publisher = startPublisher({ store, producer, pool: database.pool, topic: 'events', idleMs: 10 });
    stops.push(() => publisher.stop());
    const projector = await startKafkaProjector({ kafka, pool: database.pool, applier: readModelApplier(database.pool, postgresReadModels, 'events'), topic: 'events' });
    stops.push(() => projector.stop());
    // A fallback reading a minute apart: only the pushed commits can wake a waiter within seconds.
    const progress = followKafkaProgress({
      pool: queryPool, positions: createTenantPositions(queryPool), topic: 'events', connectionString: database.queryUrl,
      fallbackPollMs: 60_000, retryMs: 3_000,
    });
    stops.push(() => progress.close());
    await until(async () => progress.listening(), 'the progress listener', 10_000);

    const tenantId = uuidv7();
    const register = async (n: number) => {
      const memberId = uuidv7();
      const { position } = await store.append(tenantStreamId('member', tenantId, memberId), [{
        eventId: uuidv7(), type: 'MemberRegistered', schemaVersion: 1, tenantId, occurredAt: '2026-05-01T10:00:00.000Z',
        actor: { system: 'test' }, correlationId: randomUUID(), causationId: randomUUID(),
        data: { memberId, email: `m${n}@example.org`, firstName: 'M', lastName: `${n}`, membershipTypeId: null, status: 'active' },
      }], 'no-stream');
      return position;
    };
    // The first wait reads the table once (the partition count); the next ones are woken by commits.
    await progress.readModels.waitFor(tenantId, await register(0), 10_000);
    const readsBefore = progress.readModels.stats().reads;
    for (let n = 1; n <= 5; n++) {
      const started = Date.now();
      await progress.readModels.waitFor(tenantId, await register(n), 10_000);
      assert.ok(Date.now() - started < 5_000, `woken ${Date.now() - started} ms after the append, not by the fallback a minute later`);
    }
    // A notified commit is a hint, read from the table (a forged one must not wake anyone): its
    // first tick and one reading per commit notified, no polling.
    assert.ok(progress.readModels.stats().reads - readsBefore <= 10, `${progress.readModels.stats().reads - readsBefore} readings for 5 waiters`);

    // The listening connection is cut: the waiters are served by polling until it listens again.
    await database.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'membership-query-api-progress'`);
    await until(async () => !progress.listening(), 'the listener to notice its connection cut', 5_000);
    const started = Date.now();
    await progress.readModels.waitFor(tenantId, await register(6), 10_000);
    assert.ok(Date.now() - started < 5_000, 'served while the listener was down');
    await until(async () => progress.listening(), 'the listener back', 10_000);
    const again = Date.now();
    await progress.readModels.waitFor(tenantId, await register(7), 10_000);
    assert.ok(Date.now() - again < 5_000, 'woken by commits again once listening');
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await queryPool.end();
    await database.drop();
    await broker.remove();
  }
});

test.run();
