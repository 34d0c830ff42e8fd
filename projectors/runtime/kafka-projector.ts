import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { fromEventMessage } from '../../infra/bus/kafka/event-message';
import { applyPartitionBatch, storedOffsets } from './partition-batch';
import type { Projection } from './projection';

export type KafkaProjectorOptions = {
  kafka: Kafka;
  pool: Pool;
  projection: Projection;
  topic: string;
  onError?: (error: unknown) => void;
};

/**
 * Runs a projection from Kafka in a consumer group named after it. Each partition batch is applied
 * with its partition checkpoint in one PostgreSQL transaction; on assignment the consumer seeks to
 * the offsets stored there, so PostgreSQL, not Kafka's committed offsets, decides what is applied.
 * Offsets are also committed to Kafka afterwards, for tools that read consumer lag.
 */
export async function startKafkaProjector(options: KafkaProjectorOptions) {
  const { kafka, pool, projection, topic } = options;
  const consumer = kafka.consumer({ groupId: projection.name, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  consumer.on(consumer.events.GROUP_JOIN, async ({ payload }) => {
    try {
      const assigned = payload.memberAssignment[topic] ?? [];
      const offsets = await storedOffsets(pool, projection.name, topic);
      for (const partition of assigned) {
        const offset = offsets.get(partition);
        if (offset !== undefined) consumer.seek({ topic, partition, offset: String(offset) });
      }
    } catch (error) {
      options.onError?.(error);
    }
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const messages = batch.messages.map((message) => ({ offset: message.offset, event: fromEventMessage(message.value) }));
      const checkpoint = await applyPartitionBatch(pool, projection, batch.topic, batch.partition, messages);
      resolveOffset(batch.lastOffset());
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(checkpoint.nextOffset) }]);
      await heartbeat();
    },
  });
  return { stop: () => consumer.disconnect() };
}
