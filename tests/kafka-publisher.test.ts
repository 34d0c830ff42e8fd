import { randomUUID } from 'node:crypto';
import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { eventDefinitions } from '../domain/event-definitions';
import { fromEventMessage } from '../infra/bus/kafka/event-message';
import { ensureTopic } from '../infra/bus/kafka/topics';
import { guardEventStore } from '../infra/event-store/guarded-event-store';
import type { EventEnvelope } from '../infra/event-store/port';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { createTestDatabase } from '../infra/postgres/test-database';
import { publisherCheckpointName, startPublisher } from '../projectors/publisher/publisher';
import { readCheckpoint } from '../projectors/runtime/checkpointed-batch';
import { kafkaTest, startTestBroker } from './kafka-harness';

const test = kafkaTest();

test('the publisher puts every event on Kafka once, keyed by stream, in stream order, with headers, then checkpoints', async () => {
  const broker = await startTestBroker();
  const database = await createTestDatabase();
  const kafka = new Kafka({ brokers: [broker.brokers], clientId: 'publisher-test', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: 'publisher-test' });
  try {
    const store = guardEventStore(createPostgresEventStore(database.pool), eventDefinitions);
    const tenantId = uuidv7();
    const streams = Array.from({ length: 12 }, () => tenantStreamId('activity', tenantId, uuidv7()));
    await Promise.all(streams.map(async (streamId) => {
      for (let n = 0; n < 5; n++) {
        await store.append(streamId, [{
          eventId: uuidv7(), type: 'ActivityRecorded', schemaVersion: 1, tenantId, occurredAt: new Date().toISOString(),
          actor: { system: 'test' }, correlationId: randomUUID(), causationId: randomUUID(),
          data: { memberId: uuidv7(), activityType: 'login', occurredAt: new Date().toISOString() },
        }], n === 0 ? 'no-stream' : n - 1);
      }
    }));
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, 'events', 3);
    assert.is((await admin.fetchTopicMetadata({ topics: ['events'] })).topics[0]!.partitions.length, 3);
    await admin.disconnect();

    await producer.connect();
    const head = await store.headPosition();
    const publisher = startPublisher({ store, producer, pool: database.pool, topic: 'events' });
    const deadline = Date.now() + 30_000;
    while ((await readCheckpoint(database.pool, publisherCheckpointName('events'))) < head && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await publisher.stop();
    assert.is(await readCheckpoint(database.pool, publisherCheckpointName('events')), head);

    const received: { event: EventEnvelope; key: string; headers: Record<string, string> }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: 'events', fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        received.push({ event: fromEventMessage(message.value), key: String(message.key), headers });
        if (received.length >= 60) resolve();
      } });
    });
    assert.is(new Set(received.map((r) => r.event.eventId)).size, 60);
    for (const { event, key, headers } of received) {
      assert.is(key, event.streamId);
      assert.equal(headers, { tenantId, type: 'ActivityRecorded', position: String(event.position) });
    }
    for (const streamId of streams) {
      const revisions = received.filter((r) => r.key === streamId).map((r) => r.event.streamRevision);
      assert.equal(revisions, [0, 1, 2, 3, 4], `stream order kept for ${streamId}`);
    }
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await database.drop();
    await broker.remove();
  }
});

test.run();
