import type { Pool } from 'pg';
import { publisherCheckpointName } from './publisher';

/**
 * How far the publisher is behind the event log: the events after its checkpoint, and the age of
 * the oldest of them (0 when it is caught up).
 */
export async function measurePublisherLag(pool: Pick<Pool, 'query'>, topic: string) {
  const { rows } = await pool.query(
    `SELECT count(*) AS events, coalesce(extract(epoch FROM now() - min(recorded_at)), 0)::float8 AS seconds
     FROM events WHERE position > coalesce((SELECT position FROM projection_checkpoints WHERE projection = $1), 0)`,
    [publisherCheckpointName(topic)]);
  return { events: Number(rows[0].events), seconds: Math.max(0, Number(rows[0].seconds)) };
}
