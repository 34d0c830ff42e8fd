import type { Pool } from 'pg';
import { deleteInBatches } from '../postgres/delete-in-batches';
import type { IdempotencyStore, Reservation } from './port';
import { holderIsAlive, type ProcessLiveness } from './process-liveness';
import { isoInstantOfUtcText, utcInstantSql } from '../postgres/utc-instant';

const retention = `interval '24 hours'`;
const expired = `idempotency_records.created_at < now() - ${retention}`;

// Insert, or take the record over: afresh when past its retention; as a resumption when its
// last attempt was interrupted, or is pending in a process that no longer lives (its liveness
// lock is gone), or in this process without running here any more ($6: its interruption could
// not be recorded). A pending request running in a live process is never taken over, however
// long it runs: two attempts running at once could both have effects.
const reserveSql = `
INSERT INTO idempotency_records (tenant_id, key, request_hash, state, holder, started_at)
VALUES ($1, $2, $3, 'pending', $4, $5)
ON CONFLICT (tenant_id, key) DO UPDATE
  SET request_hash = excluded.request_hash, state = 'pending', holder = excluded.holder,
      status_code = NULL, response = NULL, etag = NULL,
      created_at = CASE WHEN ${expired} THEN now() ELSE idempotency_records.created_at END,
      started_at = CASE WHEN ${expired} THEN excluded.started_at ELSE idempotency_records.started_at END,
      attempt = CASE WHEN ${expired} THEN 1 ELSE idempotency_records.attempt + 1 END
  WHERE ${expired}
     OR (idempotency_records.request_hash = excluded.request_hash AND (idempotency_records.state = 'interrupted'
         OR (idempotency_records.state = 'pending' AND (NOT ${holderIsAlive('idempotency_records.holder')}
             OR (idempotency_records.holder = excluded.holder AND $6)))))
RETURNING ${utcInstantSql('started_at')} AS started_at, attempt`;

export function createPostgresIdempotencyStore(pool: Pick<Pool, 'query'>, liveness: Pick<ProcessLiveness, 'holder'>): IdempotencyStore {
  /** The keys whose attempt runs in this process now, as `tenant key`. */
  const running = new Set<string>();
  const nameOf = (tenantId: string, key: string) => `${tenantId} ${key}`;
  return {
    async reserve(tenantId, key, requestHash, now): Promise<Reservation> {
      const notRunningHere = !running.has(nameOf(tenantId, key));
      const { rows: taken } = await pool.query(reserveSql, [tenantId, key, requestHash, liveness.holder, now, notRunningHere]);
      if (taken.length === 1) {
        running.add(nameOf(tenantId, key));
        return { outcome: 'reserved', startedAt: isoInstantOfUtcText(taken[0].started_at), resumed: taken[0].attempt > 1 };
      }
      const { rows } = await pool.query(
        'SELECT request_hash, state, status_code, response, etag FROM idempotency_records WHERE tenant_id = $1 AND key = $2',
        [tenantId, key]);
      const record = rows[0];
      if (!record) return this.reserve(tenantId, key, requestHash, now);
      if (record.request_hash !== requestHash) return { outcome: 'different-request' };
      if (record.state !== 'completed') return { outcome: 'in-progress' };
      return { outcome: 'replay', response: { statusCode: record.status_code, body: record.response, etag: record.etag } };
    },
    // Only the attempt holding the record may finish it: one taken over meanwhile (this process's
    // liveness lock was lost) leaves the record to the attempt that took it.
    async complete(tenantId, key, response) {
      running.delete(nameOf(tenantId, key));
      await pool.query(
        `UPDATE idempotency_records SET state = 'completed', status_code = $3, response = $4, etag = $5
         WHERE tenant_id = $1 AND key = $2 AND state = 'pending' AND holder = $6`,
        [tenantId, key, response.statusCode, JSON.stringify(response.body), response.etag, liveness.holder]);
    },
    async interrupt(tenantId, key) {
      running.delete(nameOf(tenantId, key));
      await pool.query(`UPDATE idempotency_records SET state = 'interrupted' WHERE tenant_id = $1 AND key = $2 AND state = 'pending'
        AND holder = $3`, [tenantId, key, liveness.holder]);
    },
  };
}

/** Deletes records past their retention at `now` (the scheduler's clock); returns how many. */
export const purgeExpiredIdempotencyRecords = (pool: Pick<Pool, 'query'>, now: Date) =>
  deleteInBatches(pool, 'idempotency_records', `created_at < $1::timestamptz - ${retention}`, now);
