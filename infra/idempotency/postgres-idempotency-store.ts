import type { Pool } from 'pg';
import { deleteInBatches } from '../postgres/delete-in-batches';
import type { IdempotencyStore, Reservation } from './port';

const retention = `interval '24 hours'`;
/** A first request that has not answered after this long crashed; a retry may run it again. */
const abandonedAfter = `interval '2 minutes'`;

export function createPostgresIdempotencyStore(pool: Pick<Pool, 'query'>): IdempotencyStore {
  return {
    async reserve(tenantId, key, requestHash): Promise<Reservation> {
      // Insert, or take over a record past the retention window or abandoned while pending.
      const { rows: taken } = await pool.query(
        `INSERT INTO idempotency_records (tenant_id, key, request_hash, state) VALUES ($1, $2, $3, 'pending')
         ON CONFLICT (tenant_id, key) DO UPDATE
           SET request_hash = excluded.request_hash, state = 'pending', status_code = NULL, response = NULL,
               etag = NULL, created_at = now()
           WHERE idempotency_records.created_at < now() - ${retention}
              OR (idempotency_records.state = 'pending' AND idempotency_records.created_at < now() - ${abandonedAfter})
         RETURNING key`, [tenantId, key, requestHash]);
      if (taken.length === 1) return { outcome: 'reserved' };
      const { rows } = await pool.query(
        'SELECT request_hash, state, status_code, response, etag FROM idempotency_records WHERE tenant_id = $1 AND key = $2',
        [tenantId, key]);
      const record = rows[0];
      if (!record) return this.reserve(tenantId, key, requestHash);
      if (record.request_hash !== requestHash) return { outcome: 'different-request' };
      if (record.state === 'pending') return { outcome: 'in-progress' };
      return { outcome: 'replay', response: { statusCode: record.status_code, body: record.response, etag: record.etag } };
    },
    async complete(tenantId, key, response) {
      await pool.query(
        `UPDATE idempotency_records SET state = 'completed', status_code = $3, response = $4, etag = $5
         WHERE tenant_id = $1 AND key = $2`,
        [tenantId, key, response.statusCode, JSON.stringify(response.body), response.etag]);
    },
    async release(tenantId, key) {
      await pool.query(`DELETE FROM idempotency_records WHERE tenant_id = $1 AND key = $2 AND state = 'pending'`, [tenantId, key]);
    },
    purgeExpired: (now) => deleteInBatches(pool, 'idempotency_records', `created_at < $1::timestamptz - ${retention}`, now),
  };
}
