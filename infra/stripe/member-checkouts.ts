import type { Pool } from 'pg';

export type OpenCheckout = { checkoutSessionId: string; url: string; membershipTypeId: string; interval: string; expiresAt: string };

/**
 * Each member's open dues checkout (migration 013): while it is open, the member is sent to the
 * same session again rather than to a second one, which could be paid beside the first.
 */
export type MemberCheckouts = {
  /** The member's checkout still open at `now`, if any. */
  openAt(tenantId: string, memberId: string, now: string): Promise<OpenCheckout | null>;
  record(tenantId: string, memberId: string, checkout: OpenCheckout): Promise<void>;
};

export function createMemberCheckouts(pool: Pick<Pool, 'query'>): MemberCheckouts {
  return {
    async openAt(tenantId, memberId, now) {
      const { rows } = await pool.query(
        `SELECT checkout_session_id, url, membership_type_id, billing_interval, expires_at FROM stripe_member_checkouts
          WHERE tenant_id = $1 AND member_id = $2 AND expires_at > $3`, [tenantId, memberId, now]);
      const row = rows[0];
      return row ? { checkoutSessionId: row.checkout_session_id, url: row.url, membershipTypeId: row.membership_type_id,
        interval: row.billing_interval, expiresAt: (row.expires_at as Date).toISOString() } : null;
    },
    async record(tenantId, memberId, checkout) {
      await pool.query(
        `INSERT INTO stripe_member_checkouts (tenant_id, member_id, checkout_session_id, url, membership_type_id, billing_interval, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id, member_id) DO UPDATE SET checkout_session_id = $3, url = $4, membership_type_id = $5,
           billing_interval = $6, expires_at = $7`,
        [tenantId, memberId, checkout.checkoutSessionId, checkout.url, checkout.membershipTypeId, checkout.interval, checkout.expiresAt]);
    },
  };
}
