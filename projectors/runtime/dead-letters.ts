import type { Pool } from 'pg';
import { metricFamily, type Sample } from '../../infra/metrics/prometheus-text';

/** The source name of the embedded tail's dead letters; Kafka's are named after their topic. */
export const eventLogSource = 'event-log';

/** Where a dead letter comes from: a projection and what feeds it. */
export type DeadLetterSource = { projection: string; source: string };

export type DeadLetter = DeadLetterSource & { partition: number; sourceOffset: number; payload: string; reason: string };

/**
 * Keeps a dead letter (migration 011). The same message dead-lettered again (a batch applied
 * again after a crash or a seek back) is one row: the first reason stays.
 */
export async function recordDeadLetter(pool: Pick<Pool, 'query'>, letter: DeadLetter) {
  await pool.query(
    `INSERT INTO projection_dead_letters (projection, source, partition, source_offset, payload, reason)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (projection, source, partition, source_offset) DO NOTHING`,
    [letter.projection, letter.source, letter.partition, letter.sourceOffset, letter.payload, letter.reason.slice(0, 2000)]);
}

export type ReplayRequest = { projection?: string; ids?: number[] };

/**
 * Asks for dead letters not replayed yet (all, a projection's, or the given ids) to be applied
 * again; the processes running their projections do it within a second or so. Returns their ids.
 */
export async function requestDeadLetterReplay(pool: Pick<Pool, 'query'>, request: ReplayRequest = {}): Promise<number[]> {
  const { rows } = await pool.query(
    `UPDATE projection_dead_letters SET replay_requested_at = now()
     WHERE replayed_at IS NULL AND ($1::text IS NULL OR projection = $1) AND ($2::bigint[] IS NULL OR id = ANY($2))
     RETURNING id`, [request.projection ?? null, request.ids ?? null]);
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
}

export async function listDeadLetters(pool: Pick<Pool, 'query'>, ids?: number[]) {
  const { rows } = await pool.query(
    `SELECT id, projection, source, partition, source_offset, reason, dead_lettered_at, replay_requested_at, replayed_at, replay_attempts
     FROM projection_dead_letters WHERE $1::bigint[] IS NULL OR id = ANY($1) ORDER BY id`, [ids ?? null]);
  return rows;
}

/**
 * `projector_dead_lettered_total` (every dead letter kept, replayed or not) and
 * `projector_dead_letters_unreplayed` per projection and source (label `topic`: the Kafka topic,
 * or `event-log`), from the table, so the figures survive restarts and agree across processes.
 */
export async function deadLetterMetrics(pool: Pick<Pool, 'query'>, sources: DeadLetterSource[]): Promise<string> {
  const { rows } = await pool.query(
    `SELECT projection, source, count(*)::int AS total, (count(*) FILTER (WHERE replayed_at IS NULL))::int AS unreplayed
     FROM projection_dead_letters GROUP BY projection, source`);
  const counted = new Map(rows.map((row) => [`${row.projection}\u0000${row.source}`, row]));
  const total: Sample[] = [];
  const unreplayed: Sample[] = [];
  for (const { projection, source } of sources) {
    const row = counted.get(`${projection}\u0000${source}`);
    const labels = { projection, topic: source };
    total.push({ labels, value: row?.total ?? 0 });
    unreplayed.push({ labels, value: row?.unreplayed ?? 0 });
  }
  return metricFamily('projector_dead_lettered_total', 'counter', 'Poison events the projection set aside (kept in projection_dead_letters)', total)
    + metricFamily('projector_dead_letters_unreplayed', 'gauge', 'Dead letters not replayed yet', unreplayed);
}
