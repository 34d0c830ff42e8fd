import type { Pool } from 'pg';

/**
 * Which tenant a connected Stripe account belongs to, and the membership prices created on it
 * (migration 013). An account is linked when the platform creates it for a tenant, and read when
 * a Connect event names an account: an account no tenant opened is nobody's, whatever the
 * event's metadata says.
 */
export type ConnectedAccounts = {
  /**
   * Links the account to the tenant; the first link of either wins (a tenant has one account, an
   * account one tenant). Returns the account linked to this tenant after the call.
   */
  link(accountId: string, tenantId: string): Promise<string>;
  tenantOfAccount(accountId: string): Promise<string | null>;
  /** The price recorded for what a membership type costs on the account, if any. */
  priceOf(key: PriceKey): Promise<string | null>;
  /** Records a price Stripe created; the first recorded for a key wins, and is returned. */
  recordPrice(key: PriceKey, priceId: string): Promise<string>;
};

/** What a price is: the membership type, its interval and amount, on one account. */
export type PriceKey = { accountId: string; membershipTypeId: string; interval: string; unitAmountCents: number; currency: string };
const keyValues = (key: PriceKey) => [key.accountId, key.membershipTypeId, key.interval, key.unitAmountCents, key.currency];
const byKey = 'account_id = $1 AND membership_type_id = $2 AND billing_interval = $3 AND unit_amount_cents = $4 AND currency = $5';

/** Links never change once made (the first wins), so each process remembers those it has seen. */
const rememberedLinks = 100_000;

export function createConnectedAccounts(pool: Pick<Pool, 'query'>): ConnectedAccounts {
  const tenants = new Map<string, string>();
  return {
    async link(accountId, tenantId) {
      await pool.query(
        'INSERT INTO stripe_connected_accounts (account_id, tenant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [accountId, tenantId]);
      const { rows } = await pool.query('SELECT account_id FROM stripe_connected_accounts WHERE tenant_id = $1', [tenantId]);
      if (!rows[0]) throw new Error('the account belongs to another tenant');
      return rows[0].account_id as string;
    },
    async tenantOfAccount(accountId) {
      const known = tenants.get(accountId);
      if (known) return known;
      const { rows } = await pool.query('SELECT tenant_id FROM stripe_connected_accounts WHERE account_id = $1', [accountId]);
      const tenantId = (rows[0]?.tenant_id as string | undefined) ?? null;
      if (tenantId && tenants.size < rememberedLinks) tenants.set(accountId, tenantId);
      return tenantId;
    },
    async priceOf(key) {
      const { rows } = await pool.query(`SELECT price_id FROM stripe_connected_prices WHERE ${byKey}`, keyValues(key));
      return (rows[0]?.price_id as string | undefined) ?? null;
    },
    async recordPrice(key, priceId) {
      await pool.query(`INSERT INTO stripe_connected_prices (account_id, membership_type_id, billing_interval, unit_amount_cents, currency, price_id)
        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, [...keyValues(key), priceId]);
      return (await this.priceOf(key))!;
    },
  };
}
