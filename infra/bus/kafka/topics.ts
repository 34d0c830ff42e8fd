import type { Admin } from 'kafkajs';

/** Creates the topic if it does not exist yet; an existing topic keeps its partition count. */
export async function ensureTopic(admin: Admin, topic: string, partitions: number) {
  const existing = await admin.listTopics();
  if (existing.includes(topic)) return false;
  return admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
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
