import type { Admin } from 'kafkajs';

/**
 * Creates the topic if it does not exist yet; an existing topic keeps its partition count and
 * replicas. Replicas: `replicationFactor` (KAFKA_REPLICATION_FACTOR), by default as many brokers
 * as the cluster has, up to 3, so that a production cluster survives the loss of a broker while a
 * single development broker still works. With acks from all in-sync replicas, a write is refused
 * rather than kept on one copy only: at least two must hold it whenever there are three or more.
 */
export async function ensureTopic(admin: Admin, topic: string, partitions: number, replicationFactor?: number) {
  const existing = await admin.listTopics();
  if (existing.includes(topic)) return false;
  const replicas = replicationFactor ?? Math.min(3, (await admin.describeCluster()).brokers.length);
  return admin.createTopics({
    topics: [{
      topic, numPartitions: partitions, replicationFactor: replicas,
      configEntries: [{ name: 'min.insync.replicas', value: String(Math.max(1, replicas - 1)) }],
    }],
    waitForLeaders: true,
  });
}

/**
 * The topic's partition ids. Right after creation the metadata can still be empty (or the answer
 * null, which kafkajs does not expect), so this asks again for up to `timeoutMs`.
 */
export async function partitionsOf(admin: Admin, topic: string, timeoutMs = 30_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      if (metadata && metadata.partitions.length > 0) return metadata.partitions.map((p) => p.partitionId).sort((a, b) => a - b);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topic ${topic} has no partitions`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
