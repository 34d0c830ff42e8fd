import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { round } from '../stats';

const projection = 'postgres-read-models';

async function appliedOffsets(pool: Pool, topic: string) {
  const { rows } = await pool.query('SELECT coalesce(sum(next_offset), 0) AS n FROM projection_partition_offsets WHERE projection = $1 AND topic = $2', [projection, topic]);
  return Number(rows[0].n);
}

/**
 * Projector throughput on a backlog: `startProjectors` is called with the whole backlog already
 * on the topic; the clock starts at the first applied batch (process start-up and group join are
 * reported apart) and stops when every message on the topic is applied.
 */
export async function measureCatchUp(pool: Pool, admin: Admin, topic: string, startProjectors: () => void, timeoutMs = 180_000) {
  const target = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  const before = await appliedOffsets(pool, topic);
  const launched = Date.now();
  startProjectors();
  let firstProgress: number | undefined;
  for (;;) {
    const applied = await appliedOffsets(pool, topic);
    if (firstProgress === undefined && applied > before) firstProgress = Date.now();
    if (applied >= target) break;
    if (Date.now() - launched > timeoutMs) throw new Error(`catch-up incomplete after ${timeoutMs} ms: ${applied - before}/${target - before}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const finished = Date.now();
  const backlog = target - before;
  return {
    backlogEvents: backlog,
    startUpAndGroupJoinS: round(((firstProgress ?? finished) - launched) / 1000, 1),
    applyingS: round((finished - (firstProgress ?? launched)) / 1000, 1),
    eventsPerSecond: round(backlog / ((finished - (firstProgress ?? launched)) / 1000), 0),
  };
}
