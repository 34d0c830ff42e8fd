import type { Admin } from 'kafkajs';

/** Creates the topic if it does not exist yet; an existing topic keeps its partition count. */
export async function ensureTopic(admin: Admin, topic: string, partitions: number) {
  const existing = await admin.listTopics();
  if (existing.includes(topic)) return false;
  return admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
}
