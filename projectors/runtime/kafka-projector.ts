import type { Kafka, KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';
import { ensureTopic, partitionsOf } from '../../infra/bus/kafka/topics';
import type { AnalyticsStore } from '../../infra/analytics/port';
import { applyAnalyticsPartitionBatch, type AnalyticsProjection } from './analytics-batch';
import { replayIntoAnalytics, replayIntoReadModel, startDeadLetterReplays, type ReplayOne } from './dead-letter-replay';
import { recordDeadLetter } from './dead-letters';
import { decodeEvent } from './decode-event';
import {
  applyPartitionBatch, OffsetGapError, registerPartitions, storedOffsets, type PartitionCheckpoint, type PartitionMessage,
} from './partition-batch';
import { applyOrIsolate } from './poison-isolation';
import type { Projection } from './projection';

export type KafkaProjectorOptions = {
  kafka: Kafka;
  pool: Pool;
  /** What to do with a partition's batch: write a PostgreSQL read model, or ClickHouse tables. */
  applier: PartitionApplier;
  topic: string;
  /** How long the group waits for a silent member before reassigning its partitions. */
  sessionTimeoutMs?: number;
  partitionsConsumedConcurrently?: number;
  /** Of the dead-letter topic, if this creates it (KAFKA_REPLICATION_FACTOR; see ensureTopic). */
  replicationFactor?: number;
  replayIntervalMs?: number;
  onError?: (error: unknown) => void;
};

export type PartitionApplier = {
  /** The projection's name: its consumer group and its checkpoint rows are keyed by it. */
  name: string;
  apply: (partition: number, messages: PartitionMessage[]) => Promise<PartitionCheckpoint>;
  /** Applies a dead letter whose replay was asked for. */
  replay: ReplayOne;
};

export const readModelApplier = (pool: Pool, projection: Projection, topic: string): PartitionApplier => ({
  name: projection.name, replay: replayIntoReadModel(pool, projection),
  apply: (partition, messages) => applyPartitionBatch(pool, projection, topic, partition, messages),
});

export const analyticsApplier = (store: AnalyticsStore, pool: Pool, projection: AnalyticsProjection, topic: string): PartitionApplier => ({
  name: projection.name, replay: replayIntoAnalytics(store, pool, projection),
  apply: (partition, messages) => applyAnalyticsPartitionBatch(store, pool, projection, topic, partition, messages),
});

export const deadLetterTopic = (topic: string) => `${topic}.dead-letter`;

/** One consumer group per projection and topic, as the checkpoint rows are keyed. */
export const consumerGroupOf = (projection: string, topic: string) => `${projection}.${topic}`;

/**
 * Runs a projection from Kafka in a consumer group named after it and the topic. Each partition
 * batch is applied with its partition checkpoint (see the appliers); on assignment the consumer seeks to
 * the offsets stored there, so PostgreSQL, not Kafka's committed offsets, decides what is applied.
 * A poison message (not a valid event, or failing its projection twice) goes to the dead-letter
 * topic and to projection_dead_letters with the reason (as the embedded tail's do, and replayed
 * the same way) and is counted; the partition moves on past it. A batch that starts past the
 * stored offset is not applied: the consumer seeks back to the stored offset (OffsetGapError).
 */
export async function startKafkaProjector(options: KafkaProjectorOptions) {
  const { kafka, pool, applier, topic } = options;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopic(admin, deadLetterTopic(topic), 1, options.replicationFactor);
  await registerPartitions(pool, applier.name, topic, await partitionsOf(admin, topic));
  await admin.disconnect();
  const deadLetters = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await deadLetters.connect();
  const counters = { deadLettered: 0, assignedPartitions: 0, gapsSoughtBack: 0 };
  const consumer = kafka.consumer({ groupId: consumerGroupOf(applier.name, topic), sessionTimeout: options.sessionTimeoutMs ?? 10_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  consumer.on(consumer.events.GROUP_JOIN, async ({ payload }) => {
    try {
      const assigned = payload.memberAssignment[topic] ?? [];
      counters.assignedPartitions = assigned.length;
      const offsets = await storedOffsets(pool, applier.name, topic);
      for (const partition of assigned) {
        const offset = offsets.get(partition);
        if (offset !== undefined) consumer.seek({ topic, partition, offset: String(offset) });
      }
    } catch (error) {
      options.onError?.(error);
    }
  });

  const deadLetter = async (partition: number, message: KafkaMessage, reason: string) => {
    await deadLetters.send({ topic: deadLetterTopic(topic), acks: -1, messages: [{
      key: message.key, value: message.value,
      headers: { reason: reason.slice(0, 1000), projection: applier.name, partition: String(partition), offset: message.offset },
    }] });
    await recordDeadLetter(pool, {
      projection: applier.name, source: topic, partition, sourceOffset: Number(message.offset),
      payload: message.value?.toString() ?? '', reason,
    });
    counters.deadLettered += 1;
  };

  const lastGap = new Map<number, number>();
  await consumer.run({
    autoCommitInterval: 5_000,
    eachBatchAutoResolve: false,
    // Partitions are applied in parallel, each in its own transaction: while one waits on
    // PostgreSQL another decodes. Deadlocks between them (shared counter rows) are retried.
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const messages: PartitionMessage[] = [];
      for (const message of batch.messages) {
        const decoded = decodeEvent(message.value);
        if ('reason' in decoded) await deadLetter(batch.partition, message, decoded.reason);
        messages.push({ offset: message.offset, event: 'reason' in decoded ? null : decoded.event });
      }
      try {
        await applyOrIsolate(messages, (part) => applier.apply(batch.partition, part), async (index, error) => {
          await deadLetter(batch.partition, batch.messages[index]!, `projection failed twice: ${(error as Error).message}`);
        }, options.onError);
      } catch (error) {
        if (!(error instanceof OffsetGapError)) throw error;
        // Never skip an offset: fetch again from the first one not applied. A second gap in a row
        // waits a little, in case the broker no longer holds those offsets (then only a rebuild helps).
        counters.gapsSoughtBack += 1;
        options.onError?.(error);
        if (lastGap.get(batch.partition) === error.storedOffset) await new Promise((resolve) => setTimeout(resolve, 1_000));
        lastGap.set(batch.partition, error.storedOffset);
        consumer.seek({ topic, partition: batch.partition, offset: String(error.storedOffset) });
        return;
      }
      lastGap.delete(batch.partition);
      // Kafka's committed offsets only inform lag tools: on assignment the consumer seeks to the
      // offsets stored with the read models, so they are committed in the background.
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });
  // Started last: a projector that failed to start leaves no loop behind.
  const replays = startDeadLetterReplays(pool, { projection: applier.name, source: topic }, applier.replay,
    { intervalMs: options.replayIntervalMs, onError: options.onError });
  return {
    counters,
    async stop() {
      await replays.stop();
      await consumer.disconnect();
      await deadLetters.disconnect();
    },
  };
}
