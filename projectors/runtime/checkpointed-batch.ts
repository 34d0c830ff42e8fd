import type { Pool } from 'pg';
import type { EventEnvelope } from '../../infra/event-store/port';
import { inlineStatements } from './inline-statements';
import type { Projection, SqlStatement } from './projection';

const statementsPerRoundTrip = 200;

/**
 * Applies a batch to a projection's read model and advances its checkpoint in the same
 * transaction: the effect is exactly once. The checkpoint row is locked first, so two appliers
 * of the same projection serialise, and events at or below it (redelivered) are skipped.
 * Statements travel as multi-statement texts: a small batch costs two round trips in all.
 */
export async function applyCheckpointedBatch(pool: Pool, projection: Projection, events: EventEnvelope[]): Promise<number> {
  const client = await pool.connect();
  const name = client.escapeLiteral(projection.name);
  try {
    const opened = await client.query(`BEGIN;
      INSERT INTO projection_checkpoints (projection, position) VALUES (${name}, 0) ON CONFLICT (projection) DO NOTHING;
      SELECT position FROM projection_checkpoints WHERE projection = ${name} FOR UPDATE`);
    const results = opened as unknown as { rows: { position: string | number }[] }[];
    let checkpoint = Number(results[results.length - 1]!.rows[0]!.position);
    const statements: SqlStatement[] = [];
    for (const event of events) {
      if (event.position <= checkpoint) continue;
      statements.push(...projection.project(event));
      checkpoint = event.position;
    }
    // Statements keep their order (a member's registration before its suspension).
    const chunks: string[] = [];
    for (let start = 0; start < statements.length; start += statementsPerRoundTrip) {
      chunks.push(inlineStatements(statements.slice(start, start + statementsPerRoundTrip), (v) => client.escapeLiteral(v)));
    }
    const finish = `UPDATE projection_checkpoints SET position = ${checkpoint}, updated_at = now() WHERE projection = ${name}; COMMIT`;
    chunks.push(chunks.length > 0 ? `${chunks.pop()};\n${finish}` : finish);
    for (const chunk of chunks) await client.query(chunk);
    return checkpoint;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function readCheckpoint(pool: Pick<Pool, 'query'>, projection: string): Promise<number> {
  const { rows } = await pool.query('SELECT position FROM projection_checkpoints WHERE projection = $1', [projection]);
  return rows[0] ? Number(rows[0].position) : 0;
}
