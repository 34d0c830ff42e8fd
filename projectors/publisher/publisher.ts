import type { Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { toEventMessage } from '../../infra/bus/kafka/event-message';
import type { EventStore } from '../../infra/event-store/port';
import { followLog } from '../runtime/log-follower';

export type PublisherOptions = {
  store: EventStore;
  /** A kafkajs producer created with `idempotent: true` and at most one request in flight. */
  producer: Pick<Producer, 'send'>;
  pool: Pool;
  topic: string;
  batchSize?: number;
  idleMs?: number;
  onError?: (error: unknown) => void;
  onPublished?: (position: number, events: number) => void;
};

export const publisherCheckpointName = (topic: string) => `publisher:${topic}`;

/**
 * Event store → Kafka, at least once, in log order: reads the global log from its checkpoint,
 * sends each batch with acks from all in-sync replicas, and only then advances the checkpoint.
 * A crash between the acknowledgement and the checkpoint re-sends that batch; consumers skip what
 * they have applied (stream revision / position).
 */
export function startPublisher(options: PublisherOptions) {
  const name = publisherCheckpointName(options.topic);
  return followLog({
    store: options.store, pool: options.pool, checkpointName: name, batchSize: options.batchSize, idleMs: options.idleMs,
    onError: options.onError,
    handle: async (events) => {
      await options.producer.send({ topic: options.topic, acks: -1, messages: events.map(toEventMessage) });
      const checkpoint = events.at(-1)!.position;
      await saveCheckpoint(options.pool, name, checkpoint);
      options.onPublished?.(checkpoint, events.length);
      return checkpoint;
    },
  });
}

async function saveCheckpoint(pool: Pool, name: string, position: number) {
  await pool.query(
    `INSERT INTO projection_checkpoints (projection, position) VALUES ($1, $2)
     ON CONFLICT (projection) DO UPDATE SET position = excluded.position, updated_at = now()`, [name, position]);
}
