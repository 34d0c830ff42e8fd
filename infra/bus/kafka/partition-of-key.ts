import { Partitioners } from 'kafkajs';

const partitioner = Partitioners.DefaultPartitioner();

/**
 * The partition kafkajs's default partitioner (murmur2, as Java clients do) gives a keyed message
 * on a topic of `partitionCount` partitions: the publisher leaves partitioning to it, and the query
 * API uses this to know which partition's checkpoint holds a stream's events.
 */
export function partitionOfKey(key: string, partitionCount: number): number {
  const partitionMetadata = Array.from({ length: partitionCount }, (_, partitionId) => ({ partitionId, leader: 0 }));
  return partitioner({ topic: 'any', partitionMetadata: partitionMetadata as never, message: { key, value: null } });
}
