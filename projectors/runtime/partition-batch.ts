import type { Pool } from 'pg';
import type { EventEnvelope } from '../../infra/event-store/port';
import { inlineStatements, projectionTransactionOpening, runStatementsThenFinish } from './inline-statements';
import { statementsOfBatch } from './batched-rows';
import type { ProjectedChange, Projection } from './projection';

/**
 * The partition's checkpoint row as a batch uses it, parameters ($1, $2, $3) = (projection, topic,
 * partition): registered if new, then locked and read, then advanced ($4 next offset, $5
 * position) in the batch's transaction. Shared by the read-model and analytics appliers.
 */
export const partitionCheckpointSql = {
  register: `INSERT INTO projection_partition_offsets (projection, topic, partition, next_offset, position)
             VALUES ($1, $2, $3, 0, 0) ON CONFLICT DO NOTHING`,
  lock: `SELECT next_offset, position FROM projection_partition_offsets
         WHERE projection = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
  advance: `UPDATE projection_partition_offsets SET next_offset = $4, position = $5, updated_at = now()
            WHERE projection = $1 AND topic = $2 AND partition = $3`,
  /** Read without a lock, for appliers that hold no transaction (ClickHouse: see analytics-batch.ts). */
  read: `SELECT next_offset, position FROM projection_partition_offsets
         WHERE projection = $1 AND topic = $2 AND partition = $3`,
  /**
   * Says that the partition's row moved, to the query APIs that LISTEN on the table's name:
   * delivered when its transaction commits (the read models' batch transaction; the analytics
   * batch's own statement after its checkpoint advanced). The payload (the row's key and position
   * as JSON) is only news: the query APIs read the row again (anyone connected may NOTIFY).
   * Parameters ($1, $2, $3, $4) = (projection, topic, partition, position).
   */
  notify: `SELECT pg_notify('projection_partition_offsets',
           json_build_object('projection', $1::text, 'topic', $2::text, 'partition', $3::int, 'position', $4::bigint)::text)`,
  /** Advanced only forwards: two unlocked appliers of one partition (a hand-over) cannot move it back. */
  advanceForward: `UPDATE projection_partition_offsets
            SET next_offset = greatest(next_offset, $4), position = greatest(position, $5), updated_at = now()
            WHERE projection = $1 AND topic = $2 AND partition = $3`,
};

/**
 * A batch starts past the stored offset: the messages in between were never applied (the consumer
 * fetched before its seek on assignment, or PostgreSQL lost the last commits of asynchronous
 * commits in a crash while the consumer went on). Nothing of the batch is applied; the consumer
 * seeks back to `storedOffset`. Never a poison: it says nothing about the messages.
 */
export class OffsetGapError extends Error {
  constructor(readonly partition: number, readonly storedOffset: number, readonly firstOffset: number) {
    super(`partition ${partition}: batch starts at offset ${firstOffset}, past the stored offset ${storedOffset}; seeking back`);
    this.name = 'OffsetGapError';
  }
}

/** `event: null` marks a message already sent to the dead-letter topic: only its offset counts. */
export type PartitionMessage = { offset: string; event: EventEnvelope | null };

export type PartitionCheckpoint = { nextOffset: number; position: number };

/**
 * Applies one partition's batch and advances that partition's checkpoint in one transaction.
 * Skipped: messages below the stored offset (redelivered by Kafka) and events at or below the
 * highest position applied from this partition (re-sent by the publisher after a crash: the
 * publisher sends in log order, so within a partition positions only grow).
 */
export async function applyPartitionBatch(
  pool: Pool, projection: Projection, topic: string, partition: number, messages: PartitionMessage[],
): Promise<PartitionCheckpoint> {
  const client = await pool.connect();
  const key = [projection.name, topic, partition];
  try {
    const opened = await client.query(inlineStatements([
      ...projectionTransactionOpening,
      // Appliers of one projection (partitions in parallel, other processes of the group) take
      // turns: their batches update shared rows (per-tenant counters) in event order, which in
      // parallel transactions deadlocks. Fetching and decoding still overlap; only writes are serial.
      { text: 'SELECT pg_advisory_xact_lock(hashtext($1))', values: [`projection:${projection.name}`] },
      { text: partitionCheckpointSql.register, values: key },
      { text: partitionCheckpointSql.lock, values: key },
    ], (value) => client.escapeLiteral(value)));
    const stored = (opened as unknown as { rows: { next_offset: string; position: string }[] }[]).at(-1)!.rows[0]!;
    const { events, nextOffset, position } = unappliedEvents(partition, messages, { nextOffset: Number(stored.next_offset), position: Number(stored.position) });
    const changes: ProjectedChange[] = events.flatMap((event) => projection.project(event));
    await runStatementsThenFinish(client, statementsOfBatch(changes), [
      { text: partitionCheckpointSql.advance, values: [...key, nextOffset, position] },
      ...(position > Number(stored.position) ? [{ text: partitionCheckpointSql.notify, values: [...key, position] }] : []),
      { text: 'COMMIT', values: [] },
    ]);
    return { nextOffset, position };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The events of a partition's batch not applied yet, and the checkpoint after them: messages below
 * the stored offset were redelivered by Kafka; events at or below the stored position were re-sent
 * by the publisher after a crash (it sends in log order, so within a partition positions only grow).
 * A batch that starts past the stored offset is refused (OffsetGapError): an offset is never skipped.
 * Our producers are neither transactional nor compacted, so a partition's offsets are dense.
 */
export function unappliedEvents(partition: number, messages: PartitionMessage[], stored: PartitionCheckpoint) {
  let { nextOffset, position } = stored;
  const first = messages[0] === undefined ? nextOffset : Number(messages[0].offset);
  if (first > nextOffset) throw new OffsetGapError(partition, nextOffset, first);
  const events: EventEnvelope[] = [];
  for (const { offset, event } of messages) {
    if (Number(offset) < nextOffset) continue;
    nextOffset = Number(offset) + 1;
    if (event === null || event.position <= position) continue;
    events.push(event);
    position = event.position;
  }
  return { events, nextOffset, position };
}

export async function storedOffsets(pool: Pick<Pool, 'query'>, projection: string, topic: string) {
  const { rows } = await pool.query(
    'SELECT partition, next_offset FROM projection_partition_offsets WHERE projection = $1 AND topic = $2', [projection, topic]);
  return new Map(rows.map((row) => [Number(row.partition), Number(row.next_offset)]));
}

/**
 * Gives every partition of the topic a checkpoint row (offset 0, position 0) if it has none, so
 * that the row count is the topic's partition count: the query API maps a stream to its partition
 * with it, for read-your-writes.
 */
export async function registerPartitions(pool: Pick<Pool, 'query'>, projection: string, topic: string, partitions: number[]) {
  await pool.query(
    `INSERT INTO projection_partition_offsets (projection, topic, partition, next_offset, position)
     SELECT $1, $2, p, 0, 0 FROM unnest($3::int[]) AS p ON CONFLICT DO NOTHING`, [projection, topic, partitions]);
}
