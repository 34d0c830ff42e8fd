import { Partitioners, type Kafka } from 'kafkajs';

/**
 * The producer for events: idempotent with one request in flight, so a retried send can neither
 * duplicate nor reorder a partition; partitions chosen by kafkajs's default (murmur2) partitioner,
 * named here because `partitionOfKey` relies on it. Retries are unlimited, as idempotence needs:
 * a send waits out a broker restart instead of failing half-way.
 */
export function createEventProducer(kafka: Kafka) {
  return kafka.producer({
    idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
}
