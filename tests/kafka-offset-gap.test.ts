import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { toEventMessage } from '../infra/bus/kafka/event-message';
import { ensureTopic } from '../infra/bus/kafka/topics';
import { createTestDatabase } from '../infra/postgres/test-database';
import { postgresReadModels } from '../projectors/read-models';
import { readModelApplier, startKafkaProjector } from '../projectors/runtime/kafka-projector';
import { kafkaTest, startTestBroker } from './kafka-harness';
import { memberRegisteredAt } from './member-registered-fixture';
import { until } from './until';

const test = kafkaTest();
const tenantId = uuidv7();

const registered = (position: number, lastName: string) => memberRegisteredAt(tenantId, position, lastName);

test('a batch past the stored checkpoint is not applied: the projector seeks back and applies the missing events', async () => {
  const broker = await startTestBroker();
  const database = await createTestDatabase();
  const kafka = new Kafka({ brokers: [broker.brokers], clientId: 'gap-test', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  let projector: Awaited<ReturnType<typeof startKafkaProjector>> | undefined;
  const names = async () => (await database.pool.query('SELECT last_name FROM rm_members ORDER BY last_name')).rows.map((r) => r.last_name);
  const stored = async () => Number((await database.pool.query(
    "SELECT next_offset FROM projection_partition_offsets WHERE projection = 'postgres-read-models' AND partition = 0")).rows[0]?.next_offset ?? -1);
  try {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, 'events', 1);
    await admin.disconnect();
    await producer.connect();
    await producer.send({ topic: 'events', messages: [registered(4096, 'A'), registered(8192, 'B'), registered(12288, 'C')].map(toEventMessage) });
    projector = await startKafkaProjector({ kafka, pool: database.pool, applier: readModelApplier(database.pool, postgresReadModels, 'events'), topic: 'events' });
    await until(async () => (await stored()) === 3, 'the first three messages applied');
    assert.equal(await names(), ['A', 'B', 'C']);

    // PostgreSQL crashes and, committing asynchronously, loses the last two batches: their rows
    // and their checkpoint. The consumer, which already went past them, fetches on from offset 3.
    await database.pool.query("DELETE FROM rm_members WHERE last_name IN ('B', 'C')");
    await database.pool.query('UPDATE projection_partition_offsets SET next_offset = 1, position = 4096');
    await producer.send({ topic: 'events', messages: [registered(16384, 'D'), registered(20480, 'E')].map(toEventMessage) });

    await until(async () => (await stored()) === 5, 'the checkpoint at offset 5', 30_000);
    assert.equal(await names(), ['A', 'B', 'C', 'D', 'E'], 'no offset skipped');
    assert.ok(projector.counters.gapsSoughtBack >= 1);
    assert.is(projector.counters.deadLettered, 0);
  } finally {
    await projector?.stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await database.drop();
    await broker.remove();
  }
});

test.run();
