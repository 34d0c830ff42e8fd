import { rowsAsRecordset } from '../runtime/batched-rows';
import type { BatchedKind, BatchedRow } from '../runtime/projection';

/**
 * The live-update feed (migration 016, DESIGN §12): one row per event that changes a member, with
 * the member's status after it, for GET /v1/stream. Written in the projection's transaction, so a
 * change is visible to the stream exactly when the read model shows it.
 *
 * Placed first, before the batch's status updates: a row that does not change the status (details,
 * subscription) takes the status from the nearest earlier row of its member in the batch, else
 * from rm_members as it stood before the batch — the status at that event, not after the batch.
 */
export const memberChanges: BatchedKind = {
  key: 'rm_member_changes',
  place: 'first',
  build: (rows) => {
    const statusSoFar = new Map<string, unknown>();
    const filled = rows.map((row, index) => {
      const status = row.status ?? statusSoFar.get(String(row.member_id)) ?? null;
      if (status !== null) statusSoFar.set(String(row.member_id), status);
      return { ...row, status, ord: index };
    });
    const { from, values } = rowsAsRecordset(filled, 'r',
      'tenant_id uuid, member_id uuid, position bigint, status text, revision integer, ord integer');
    // Each tenant's head moves by its row count at once; the rows take the seqs below it in order.
    return {
      text: `WITH r AS (SELECT *, row_number() OVER (PARTITION BY tenant_id ORDER BY ord) AS k,
                               count(*) OVER (PARTITION BY tenant_id) AS n FROM ${from}),
             heads AS (INSERT INTO rm_member_change_heads AS h (tenant_id, seq)
                       SELECT tenant_id, max(n) FROM r GROUP BY tenant_id ORDER BY tenant_id
                       ON CONFLICT (tenant_id) DO UPDATE SET seq = h.seq + excluded.seq
                       RETURNING tenant_id, seq)
             INSERT INTO rm_member_changes (tenant_id, seq, position, member_id, status, revision)
             SELECT r.tenant_id, heads.seq - r.n + r.k, r.position, r.member_id, coalesce(r.status, m.status, 'pending'), r.revision
             FROM r JOIN heads USING (tenant_id)
             LEFT JOIN rm_members m ON m.tenant_id = r.tenant_id AND m.member_id = r.member_id
             ORDER BY r.tenant_id, r.k
             ON CONFLICT (tenant_id, position) DO NOTHING`,
      values,
    };
  },
};

/** The feed's row for a member's event; `status` when the event sets it, else null (see above). */
export function memberChange(event: { tenantId: string; position: number; streamRevision: number }, memberId: string, status: string | null): BatchedRow {
  return { kind: memberChanges, row: {
    tenant_id: event.tenantId, member_id: memberId, position: event.position, status, revision: event.streamRevision,
  } };
}
