import type { Pool } from 'pg';

/**
 * What time has made due, read from the read models (as the owner role, across tenants). The read
 * models may lag: each command the scheduler sends is decided again on its stream, so a stale row
 * costs a no-op, never a wrong change.
 */
export type DueWork = {
  unpaidTenants(nowIso: string): Promise<string[]>;
  /** Manual subscriptions in force whose period has ended (Stripe renews the ones it bills). */
  endedSubscriptions(nowIso: string, limit: number): Promise<{ tenantId: string; memberId: string }[]>;
  /** Stripe-billed subscriptions past due whose member grace period has ended. */
  lapsingSubscriptions(nowIso: string, limit: number): Promise<{ tenantId: string; memberId: string }[]>;
  /**
   * Usage figures to store or report: every tenant on a paid plan with none for `day` yet, and
   * every figure of `day` or the week before it not yet in Stripe whose tenant has a Stripe
   * customer (a run that failed, a scheduler that was down at midnight, a customer linked later),
   * with the figure stored for it (null: none yet).
   */
  unreportedUsage(day: string): Promise<{ tenantId: string; day: string; storedSeats: number | null }[]>;
};

/**
 * SQL: the tenant has a Stripe customer link (the Stripe edge's table, webhook-records.ts). It is
 * written before the tenant's stream names the customer, so it holds for every tenant the
 * scheduler could report for (and perhaps a moment early: reportUsage then finds no customer in
 * the stream and only stores, as before).
 */
const hasStripeCustomerSql = (alias: string) => `EXISTS (SELECT 1 FROM stripe_customers c WHERE c.tenant_id = ${alias}.tenant_id)`;

/** How far back a figure that did not reach Stripe is sent again (Stripe takes 35 days). */
const catchUpDays = 7;

export function createDueWork(pool: Pick<Pool, 'query'>): DueWork {
  return {
    async unpaidTenants(nowIso) {
      const { rows } = await pool.query(
        `SELECT tenant_id FROM rm_tenants WHERE billing_status = 'past_due' AND grace_ends_at <= $1`, [nowIso]);
      return rows.map((row) => row.tenant_id);
    },
    async endedSubscriptions(nowIso, limit) {
      // ISO-8601 UTC instants compare as text, which is what the index on periodEnd holds.
      const { rows } = await pool.query(
        `SELECT tenant_id, member_id FROM rm_members
          WHERE subscription IS NOT NULL AND subscription->>'periodEnd' <= $1
            AND coalesce(subscription->>'billing', 'manual') = 'manual'
          ORDER BY subscription->>'periodEnd' LIMIT $2`, [nowIso, limit]);
      return rows.map((row) => ({ tenantId: row.tenant_id, memberId: row.member_id }));
    },
    async lapsingSubscriptions(nowIso, limit) {
      const { rows } = await pool.query(
        `SELECT tenant_id, member_id FROM rm_members
          WHERE subscription_status = 'past_due' AND subscription->>'graceEndsAt' <= $1
          ORDER BY subscription->>'graceEndsAt' LIMIT $2`, [nowIso, limit]);
      return rows.map((row) => ({ tenantId: row.tenant_id, memberId: row.member_id }));
    },
    async unreportedUsage(day) {
      // A stored figure is still due only where there is a Stripe customer to send it to: a tenant
      // the operator provisioned on a paid plan keeps its figures locally, and is not looked at again.
      const { rows } = await pool.query(
        `SELECT t.tenant_id, $1::date::text AS day, u.member_seats AS stored_seats
           FROM rm_tenants t
           LEFT JOIN tenant_usage_days u ON u.tenant_id = t.tenant_id AND u.day = $1::date
          WHERE t.plan <> 'free' AND t.billing_status IN ('active', 'trialing', 'past_due')
            AND (u.tenant_id IS NULL OR (u.reported_at IS NULL AND ${hasStripeCustomerSql('t')}))
         UNION
         SELECT tenant_id, day::text, member_seats FROM tenant_usage_days u
          WHERE reported_at IS NULL AND day >= $1::date - ${catchUpDays} AND day < $1::date AND ${hasStripeCustomerSql('u')}
         ORDER BY day, tenant_id`, [day]);
      return rows.map((row) => ({ tenantId: row.tenant_id, day: row.day, storedSeats: row.stored_seats }));
    },
  };
}
