import type { Pool } from 'pg';
import type { EventEnvelope } from '../../infra/event-store/port';
import { inlineStatements } from './inline-statements';
import type { Projection, SqlStatement } from './projection';

const statementsPerRoundTrip = 200;

/**
 * Applies a batch to a projection's read model and advances its checkpoint in the same
 * transaction: the effect is exactly once. The checkpoint row is locked first, so two appliers
 * of the same projection serialise, and events at or below it (redelivered) are skipped.
 */
export async function applyCheckpointedBatch(pool: Pool, projection: Projection, events: EventEnvelope[]): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      'INSERT INTO projection_checkpoints (projection, position) VALUES ($1, 0) ON CONFLICT (projection) DO NOTHING',
      [projection.name]);
    const { rows } = await client.query('SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE', [projection.name]);
    let checkpoint = Number(rows[0].position);
    const statements: SqlStatement[] = [];
    for (const event of events) {
      if (event.position <= checkpoint) continue;
      statements.push(...projection.project(event));
      checkpoint = event.position;
    }
    // Statements keep their order (a member's registration before its suspension), sent in chunks.
    for (let start = 0; start < statements.length; start += statementsPerRoundTrip) {
      await client.query(inlineStatements(statements.slice(start, start + statementsPerRoundTrip), (v) => client.escapeLiteral(v)));
    }
    await client.query('UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE projection = $1', [projection.name, checkpoint]);
    await client.query('COMMIT');
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
