import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { removeKafkaBroker, startKafkaBroker, stopKafkaBroker } from '../scripts/kafka/kafka-broker';
import { kafkaTest } from './kafka-harness';

const test = kafkaTest();

async function readAll(brokers: string, topic: string, expected: number) {
  const kafka = new Kafka({ brokers: [brokers], clientId: 'test', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${Math.random()}` });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({ eachMessage: async ({ message }) => {
      seen.push(`${message.key}=${message.value}`);
      if (seen.length >= expected) resolve();
    } });
  });
  await consumer.disconnect();
  return seen;
}

test('the project’s Kafka broker serves kafkajs (idempotent producer, consumer group) and keeps its data across a restart', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'kafka-broker-'));
  try {
    const broker = await startKafkaBroker({ dir, artefactsDir: path.resolve('.data', 'kafka-artefacts') });
    const kafka = new Kafka({ brokers: [broker.brokers], clientId: 'test', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: 'events', messages: [{ key: 'member-1', value: 'a' }, { key: 'member-2', value: 'b' }] });
    await producer.disconnect();
    assert.equal((await readAll(broker.brokers, 'events', 2)).sort(), ['member-1=a', 'member-2=b']);

    assert.ok(await stopKafkaBroker(dir));
    const again = await startKafkaBroker({ dir, artefactsDir: path.resolve('.data', 'kafka-artefacts') });
    assert.is(again.port, broker.port, 'a restart keeps the port');
    assert.equal((await readAll(again.brokers, 'events', 2)).sort(), ['member-1=a', 'member-2=b']);
  } finally {
    await removeKafkaBroker(dir);
  }
});

test.run();
