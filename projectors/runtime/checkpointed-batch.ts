import type { Pool } from 'pg';
import type { EventEnvelope } from '../../infra/event-store/port';
import { inlineStatements, projectionTransactionOpening, runStatementsThenFinish } from './inline-statements';
import { statementsOfBatch } from './batched-rows';
import type { ProjectedChange, Projection } from './projection';

/**
 * Applies a batch to a projection's read model and advances its checkpoint in the same
 * transaction: the effect is exactly once. The checkpoint row is locked first, so two appliers
 * of the same projection serialise, and events at or below it (redelivered) are skipped.
 * Statements travel as multi-statement texts: a small batch costs two round trips in all.
 * `through` (a dead-lettered event's position) moves the checkpoint past events not applied.
 */
export async function applyCheckpointedBatch(pool: Pool, projection: Projection, events: EventEnvelope[], through = 0): Promise<number> {
  const client = await pool.connect();
  try {
    const opened = await client.query(inlineStatements([
      ...projectionTransactionOpening,
      { text: 'INSERT INTO projection_checkpoints (projection, position) VALUES ($1, 0) ON CONFLICT (projection) DO NOTHING', values: [projection.name] },
      { text: 'SELECT position FROM projection_checkpoints WHERE projection = $1 FOR UPDATE', values: [projection.name] },
    ], (value) => client.escapeLiteral(value)));
    const results = opened as unknown as { rows: { position: string | number }[] }[];
    let checkpoint = Number(results.at(-1)!.rows[0]!.position);
    const changes: ProjectedChange[] = [];
    for (const event of events) {
      if (event.position <= checkpoint) continue;
      changes.push(...projection.project(event));
      checkpoint = event.position;
    }
    // Past dead-lettered events too (`through`), which change nothing.
    checkpoint = Math.max(checkpoint, through);
    // Plain statements keep their order; batched rows are gathered (see ProjectedChange).
    await runStatementsThenFinish(client, statementsOfBatch(changes), [
      { text: 'UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE projection = $1', values: [projection.name, checkpoint] },
      { text: 'COMMIT', values: [] },
    ]);
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
