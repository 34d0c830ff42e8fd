import { randomUUID } from 'node:crypto';
import * as assert from 'uvu/assert';
import { Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { eventDefinitions } from '../domain/event-definitions';
import { ensureTopic } from '../infra/bus/kafka/topics';
import { guardEventStore } from '../infra/event-store/guarded-event-store';
import type { NewEvent } from '../infra/event-store/port';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import { publisherCheckpointName, startPublisher } from '../projectors/publisher/publisher';
import { postgresReadModels } from '../projectors/read-models';
import { readModelApplier, startKafkaProjector } from '../projectors/runtime/kafka-projector';
import { kafkaTest, startTestBroker } from './kafka-harness';
import { until } from './until';

const test = kafkaTest();

const snapshot = async (db: TestDatabase) =>
  JSON.stringify((await db.pool.query(`SELECT member_id, status, revision, updated_at, last_activity_at FROM rm_members
    LEFT JOIN rm_member_activity USING (tenant_id, member_id) ORDER BY member_id`)).rows);

test('two projectors in one group build the read models from Kafka once; a re-sent log changes nothing', async () => {
  const broker = await startTestBroker();
  const database = await createTestDatabase();
  const kafka = new Kafka({ brokers: [broker.brokers], clientId: 'projector-test', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const store = guardEventStore(createPostgresEventStore(database.pool), eventDefinitions);
    const tenantId = uuidv7();
    const event = (type: string, data: unknown): NewEvent => ({
      eventId: uuidv7(), type, schemaVersion: 1, tenantId, occurredAt: '2026-05-01T10:00:00.000Z',
      actor: { system: 'test' }, correlationId: randomUUID(), causationId: randomUUID(), data,
    });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, 'events', 4);
    await admin.disconnect();
    await producer.connect();
    const publisher = startPublisher({ store, producer, pool: database.pool, topic: 'events', idleMs: 10 });
    stops.push(() => publisher.stop());
    const first = await startKafkaProjector({ kafka, pool: database.pool, applier: readModelApplier(database.pool, postgresReadModels, 'events'), topic: 'events' });
    stops.push(() => first.stop());

    const members = Array.from({ length: 40 }, () => uuidv7());
    for (const [index, memberId] of members.entries()) {
      if (index === 20) {
        // A second projector joins the group mid-stream: partitions are rebalanced between them.
        const second = await startKafkaProjector({ kafka, pool: database.pool, applier: readModelApplier(database.pool, postgresReadModels, 'events'), topic: 'events' });
        stops.push(() => second.stop());
      }
      await store.append(tenantStreamId('member', tenantId, memberId), [
        event('MemberRegistered', { memberId, email: `m${index}@example.org`, firstName: 'M', lastName: `${index}`, membershipTypeId: null, status: 'active' }),
        event('MemberSuspended', { reason: 'r' }),
        event('MemberReactivated', {}),
      ], 'no-stream');
    }
    const applied = async () => Number((await database.pool.query(`SELECT count(*) AS n FROM rm_members WHERE revision = 2 AND status = 'active'`)).rows[0].n) === 40;
    await until(applied, 'all 40 members projected');
    const counts = await database.pool.query(`SELECT status, members FROM rm_member_counts WHERE tenant_id = $1`, [tenantId]);
    assert.equal(counts.rows.filter((r) => Number(r.members) > 0).map((r) => [r.status, Number(r.members)]), [['active', 40]]);
    const before = await snapshot(database);

    // The publisher crashes after sending but before its checkpoint: its successor sends everything again.
    await publisher.stop();
    await database.pool.query('UPDATE projection_checkpoints SET position = 0 WHERE projection = $1', [publisherCheckpointName('events')]);
    const successor = startPublisher({ store, producer, pool: database.pool, topic: 'events', idleMs: 10 });
    stops.push(() => successor.stop());
    await until(async () => {
      const { rows } = await database.pool.query('SELECT sum(next_offset) AS n FROM projection_partition_offsets WHERE projection = $1', [postgresReadModels.name]);
      return Number(rows[0].n) >= 240;
    }, 'the re-sent events consumed');
    assert.is(await snapshot(database), before, 'duplicates recognised by position and skipped');
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await database.drop();
    await broker.remove();
  }
});

test.run();
