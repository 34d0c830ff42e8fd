import type { Pool } from 'pg';

/**
 * Which tenant a connected Stripe account belongs to (migration 013). Written when the platform
 * creates the account for a tenant, read when a Connect event names an account: an account no
 * tenant opened is nobody's, whatever the event's metadata says.
 */
export type ConnectedAccounts = {
  /**
   * Links the account to the tenant; the first link of either wins (a tenant has one account, an
   * account one tenant). Returns the account linked to this tenant after the call.
   */
  link(accountId: string, tenantId: string): Promise<string>;
  tenantOfAccount(accountId: string): Promise<string | null>;
};

export function createConnectedAccounts(pool: Pick<Pool, 'query'>): ConnectedAccounts {
  return {
    async link(accountId, tenantId) {
      await pool.query(
        'INSERT INTO stripe_connected_accounts (account_id, tenant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [accountId, tenantId]);
      const { rows } = await pool.query('SELECT account_id FROM stripe_connected_accounts WHERE tenant_id = $1', [tenantId]);
      if (!rows[0]) throw new Error('the account belongs to another tenant');
      return rows[0].account_id as string;
    },
    async tenantOfAccount(accountId) {
      const { rows } = await pool.query('SELECT tenant_id FROM stripe_connected_accounts WHERE account_id = $1', [accountId]);
      return (rows[0]?.tenant_id as string | undefined) ?? null;
    },
  };
}
