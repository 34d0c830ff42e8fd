import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { toEventMessage } from '../infra/bus/kafka/event-message';
import { ensureTopic } from '../infra/bus/kafka/topics';
import { createTestDatabase } from '../infra/postgres/test-database';
import { postgresReadModels } from '../projectors/read-models';
import { listDeadLetters, requestDeadLetterReplay } from '../projectors/runtime/dead-letters';
import { deadLetterTopic, readModelApplier, startKafkaProjector } from '../projectors/runtime/kafka-projector';
import type { Projection } from '../projectors/runtime/projection';
import { kafkaTest, startTestBroker } from './kafka-harness';
import { memberRegisteredAt } from './member-registered-fixture';
import { until } from './until';

const test = kafkaTest();
const tenantId = uuidv7();

const registered = (position: number, lastName: string) => memberRegisteredAt(tenantId, position, lastName);

test('poison messages go to the dead-letter topic with a reason, are counted, and the partition does not stall', async () => {
  const broker = await startTestBroker();
  const database = await createTestDatabase();
  const kafka = new Kafka({ brokers: [broker.brokers], clientId: 'dlq-test', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const reader = kafka.consumer({ groupId: 'dlq-reader' });
  // A projection whose SQL fails for one member, as a bug or a broken row would.
  let broken = true;
  const fragile: Projection = {
    name: 'fragile-read-models',
    project: (event) => (broken && (event.data as { lastName?: string }).lastName === 'Poison'
      ? [{ text: 'SELECT 1/0', values: [] }] : postgresReadModels.project(event)),
  };
  let projector: Awaited<ReturnType<typeof startKafkaProjector>> | undefined;
  try {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, 'events', 1);
    await admin.disconnect();
    await producer.connect();
    const unknownType = { ...registered(3, 'Unknown'), type: 'NeverDefined' };
    await producer.send({ topic: 'events', messages: [
      { key: 'x', value: 'not json at all' },
      toEventMessage(registered(2, 'Good')),
      toEventMessage(unknownType),
      toEventMessage(registered(4, 'Poison')),
      toEventMessage(registered(5, 'Later')),
    ] });
    projector = await startKafkaProjector({ kafka, pool: database.pool, applier: readModelApplier(database.pool, fragile, 'events'), topic: 'events' });
    const deadline = Date.now() + 60_000;
    const names = async () => (await database.pool.query('SELECT last_name FROM rm_members ORDER BY last_name')).rows.map((r) => r.last_name);
    while ((await names()).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await names(), ['Good', 'Later']);
    assert.is(projector.counters.deadLettered, 3);

    const reasons: string[] = [];
    await reader.connect();
    await reader.subscribe({ topic: deadLetterTopic('events'), fromBeginning: true });
    await new Promise<void>((resolve) => {
      void reader.run({ eachMessage: async ({ message }) => {
        reasons.push(String(message.headers?.reason));
        if (reasons.length >= 3) resolve();
      } });
    });
    assert.match(reasons[0]!, 'not a valid event');
    assert.match(reasons[1]!, 'Unknown event type NeverDefined');
    assert.match(reasons[2]!, 'projection failed twice');

    // Kept in projection_dead_letters as the embedded tail's are; once fixed, replayed on request.
    assert.is((await listDeadLetters(database.pool)).length, 3);
    broken = false;
    assert.is((await requestDeadLetterReplay(database.pool, { projection: 'fragile-read-models' })).length, 3);
    await until(async () => (await names()).includes('Poison'), 'the replayed dead letter');
    assert.equal(await names(), ['Good', 'Later', 'Poison']);
    assert.equal((await listDeadLetters(database.pool)).map((letter) => letter.replayed_at !== null), [false, false, true]);
  } finally {
    await reader.disconnect().catch(() => undefined);
    await projector?.stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await database.drop();
    await broker.remove();
  }
});

test.run();
