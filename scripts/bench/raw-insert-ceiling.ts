import type { Pool } from 'pg';
import { elapsedMs, round, runFor, summarise } from './stats';

/**
 * The ceiling for comparison: single-row INSERT commits into a scratch table of the same
 * PostgreSQL at the same concurrency, each its own transaction, as an append is.
 */
export async function measureRawInsertCeiling(pool: Pool, concurrency: number, durationMs: number) {
  await pool.query('CREATE TABLE IF NOT EXISTS bench_scratch (id bigserial PRIMARY KEY, payload jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())');
  const latencies: number[] = [];
  const wallMs = await runFor(durationMs, concurrency, async () => {
    const start = process.hrtime.bigint();
    await pool.query('INSERT INTO bench_scratch (payload) VALUES ($1)', [JSON.stringify({ email: 'x@example.org', n: latencies.length })]);
    latencies.push(elapsedMs(start));
  });
  await pool.query('DROP TABLE bench_scratch');
  return { commitsPerSecond: round(latencies.length / (wallMs / 1000), 0), latencyMs: summarise(latencies) };
}
