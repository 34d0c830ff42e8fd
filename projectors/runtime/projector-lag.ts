import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';

export type ProjectorLag = { events: number; seconds: number };

/**
 * How far a Kafka-driven projection is behind its topic.
 * - events: per partition, the broker's high watermark minus the next offset the projection will
 *   apply (from its own checkpoint rows, so it is exact whatever Kafka's committed offsets say).
 * - seconds: 0 when nothing waits; otherwise the age of the oldest event that follows what a
 *   lagging partition last applied. Measured on the event log, so it is an upper bound: it can
 *   overstate the lag of a partition that was idle for a while, never understate it.
 */
export async function measureProjectorLag(pool: Pick<Pool, 'query'>, admin: Pick<Admin, 'fetchTopicOffsets'>, projection: string, topic: string): Promise<ProjectorLag> {
  const [high, { rows }] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    pool.query('SELECT partition, next_offset, position FROM projection_partition_offsets WHERE projection = $1 AND topic = $2', [projection, topic]),
  ]);
  const applied = new Map(rows.map((row) => [Number(row.partition), { nextOffset: Number(row.next_offset), position: Number(row.position) }]));
  let events = 0;
  let oldestAppliedPosition = Infinity;
  for (const { partition, high: highWatermark } of high) {
    const checkpoint = applied.get(partition) ?? { nextOffset: 0, position: 0 };
    const waiting = Math.max(0, Number(highWatermark) - checkpoint.nextOffset);
    events += waiting;
    if (waiting > 0) oldestAppliedPosition = Math.min(oldestAppliedPosition, checkpoint.position);
  }
  if (events === 0) return { events, seconds: 0 };
  const next = await pool.query(
    `SELECT extract(epoch FROM now() - recorded_at)::float8 AS seconds FROM events WHERE position > $1 ORDER BY position LIMIT 1`,
    [oldestAppliedPosition]);
  return { events, seconds: Math.max(0, Number(next.rows[0]?.seconds ?? 0)) };
}
