import type { Pool } from 'pg';
import { seatHoldingStatuses } from '../domain/member';

/** What a tenant held when its plan-usage ledger opens. */
export type PlanUsageSeed = (tenantId: string) => Promise<{ memberSeats: number; membershipTypes: number }>;

/**
 * Counts a tenant's seat-holding members and membership types from the read models (the owner's
 * view, across tenants). Used once per tenant, when its ledger opens: for a tenant created since
 * the ledger exists the counts are 0, since every member and type since has gone through it; for
 * an older tenant they are what it held then (behind the log by the projection's lag, at most).
 */
export function seedPlanUsageFromReadModels(pool: Pick<Pool, 'query'>): PlanUsageSeed {
  return async (tenantId) => {
    const { rows } = await pool.query(
      `SELECT (SELECT coalesce(sum(members), 0)::int FROM rm_member_counts WHERE tenant_id = $1 AND status = ANY($2)) AS member_seats,
              (SELECT count(*)::int FROM rm_membership_types WHERE tenant_id = $1) AS membership_types`,
      [tenantId, seatHoldingStatuses]);
    return { memberSeats: rows[0].member_seats, membershipTypes: rows[0].membership_types };
  };
}
