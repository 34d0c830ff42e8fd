import type { Pool } from 'pg';
import type { BillingNotification } from './port';

export type DeliveryOutcome =
  | 'applied' | 'no-change' | 'ignored' | 'parked' | 'unknown-tenant' | 'unknown-price';

type Placed = Exclude<BillingNotification, { kind: 'ignored' }>;

/** The webhook edge's records: the delivery log, customer → tenant links, parked notifications. */
export type WebhookRecords = {
  outcomeOf(eventId: string): Promise<DeliveryOutcome | null>;
  record(delivery: { eventId: string; type: string; created: number; tenantId: string | null; outcome: DeliveryOutcome }): Promise<void>;
  tenantOfCustomer(customerId: string): Promise<string | null>;
  /**
   * Links a customer to a tenant unless it is linked already; returns the tenant it is linked to
   * (the no-op update makes a concurrent first link return the winner's row instead of nothing).
   */
  linkCustomer(customerId: string, tenantId: string): Promise<string>;
  park(notification: Placed): Promise<void>;
  /** The notifications parked for a customer, oldest first. */
  parked(customerId: string): Promise<Placed[]>;
  /** Once a parked notification was applied and its delivery recorded. */
  unpark(eventId: string): Promise<void>;
};

export function createWebhookRecords(pool: Pick<Pool, 'query'>): WebhookRecords {
  return {
    async outcomeOf(eventId) {
      const { rows } = await pool.query('SELECT outcome FROM stripe_webhook_deliveries WHERE event_id = $1', [eventId]);
      return rows[0]?.outcome ?? null;
    },
    async record({ eventId, type, created, tenantId, outcome }) {
      // A parked delivery is recorded again once applied; any other outcome is final.
      await pool.query(
        `INSERT INTO stripe_webhook_deliveries (event_id, type, created, tenant_id, outcome)
         VALUES ($1, $2, to_timestamp($3), $4, $5)
         ON CONFLICT (event_id) DO UPDATE SET outcome = excluded.outcome, tenant_id = excluded.tenant_id
           WHERE stripe_webhook_deliveries.outcome = 'parked'`,
        [eventId, type, created, tenantId, outcome]);
    },
    async tenantOfCustomer(customerId) {
      const { rows } = await pool.query('SELECT tenant_id FROM stripe_customers WHERE customer_id = $1', [customerId]);
      return rows[0]?.tenant_id ?? null;
    },
    async linkCustomer(customerId, tenantId) {
      const { rows } = await pool.query(
        `WITH inserted AS (
           INSERT INTO stripe_customers (customer_id, tenant_id) VALUES ($1, $2)
           ON CONFLICT (customer_id) DO UPDATE SET customer_id = stripe_customers.customer_id RETURNING tenant_id)
         SELECT tenant_id FROM inserted`,
        [customerId, tenantId]);
      return rows[0].tenant_id;
    },
    async park(notification) {
      await pool.query(
        `INSERT INTO stripe_parked_notifications (event_id, customer_id, notification) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`, [notification.eventId, notification.customerId, JSON.stringify(notification)]);
    },
    async parked(customerId) {
      const { rows } = await pool.query(
        `SELECT notification FROM stripe_parked_notifications WHERE customer_id = $1 ORDER BY received_at`, [customerId]);
      return rows.map((row) => row.notification);
    },
    async unpark(eventId) {
      await pool.query('DELETE FROM stripe_parked_notifications WHERE event_id = $1', [eventId]);
    },
  };
}
