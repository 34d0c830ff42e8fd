import type { Pool } from 'pg';
import { deleteInBatches } from '../postgres/delete-in-batches';
import { groupStatements } from '../postgres/grouped-statements';
import type { PlacedNotification as Placed } from './port';

export type DeliveryOutcome =
  | 'applied' | 'no-change' | 'ignored' | 'parked' | 'unknown-tenant' | 'unknown-price'
  /** A Connect event about an account no tenant opened (DESIGN §11). */
  | 'unknown-account'
  /** Dues of a member that is not one of the account's tenant, or of a membership type it does not have. */
  | 'unknown-member' | 'unknown-membership-type';

type Delivery = { eventId: string; type: string; created: number; tenantId: string | null; outcome: DeliveryOutcome };

/** The webhook edge's records: the delivery log, customer → tenant links, parked notifications. */
export type WebhookRecords = {
  /**
   * 'duplicate' when the delivery was recorded before; 'updated' when an earlier record of it
   * gave way: a parked delivery is recorded again once applied, and when concurrent copies of one
   * delivery race, the one that applied it wins over one that found it done. Other outcomes are final.
   */
  record(delivery: Delivery): Promise<'recorded' | 'updated' | 'duplicate'>;
  tenantOfCustomer(customerId: string): Promise<string | null>;
  /**
   * Links a customer to a tenant unless it is linked already; returns the tenant it is linked to,
   * and whether this call made the link.
   */
  linkCustomer(customerId: string, tenantId: string): Promise<{ tenantId: string; linkedNow: boolean }>;
  park(notification: Placed): Promise<void>;
  /** The notifications parked for a customer, oldest first. */
  parked(customerId: string): Promise<Placed[]>;
  /** Once a parked notification was applied and its delivery recorded. */
  unpark(eventId: string): Promise<void>;
  /** Customers linked to a tenant that still have parked notifications (left by a failed delivery). */
  linkedCustomersWithParked(): Promise<string[]>;
  /** Deletes deliveries received more than 30 days before `now` (parked notifications stay); returns how many. */
  purgeDeliveries(now: Date): Promise<number>;
};

/** Which copy of a delivery the log keeps, as the ON CONFLICT rule does: having applied it beats finding it done beats parking it. */
const precedence: Partial<Record<DeliveryOutcome, number>> = { applied: 3, 'no-change': 2, parked: 0 };

/**
 * One row per event id (a statement may not update a row twice), the copy that counts most, in
 * event-id order: two processes' batches then lock the same rows in the same order, never in a
 * deadlock.
 */
function oneRowPerEvent(deliveries: Delivery[]): Delivery[] {
  const rank = (d: Delivery) => precedence[d.outcome] ?? 1;
  const best = new Map<string, Delivery>();
  for (const delivery of deliveries) {
    const known = best.get(delivery.eventId);
    if (!known || rank(delivery) > rank(known)) best.set(delivery.eventId, delivery);
  }
  return [...best.values()].sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}

/** How long the delivery log keeps a delivery (Stripe retries an event for at most three days). */
const deliveryRetention = `interval '30 days'`;

/** Links never change once made (the first wins), so each process remembers those it has seen. */
const rememberedLinks = 100_000;

export function createWebhookRecords(pool: Pick<Pool, 'query'>): WebhookRecords {
  const links = new Map<string, string>();
  const remember = (customerId: string, tenantId: string) => {
    if (links.size >= rememberedLinks) links.delete(links.keys().next().value!);
    links.set(customerId, tenantId);
  };
  // Deliveries are recorded together when they finish together: one statement per batch.
  const recordDelivery = groupStatements<Delivery, 'recorded' | 'updated' | 'duplicate'>(async (deliveries) => {
    const kept = oneRowPerEvent(deliveries);
    // The log is not the source of truth (applying a delivery again is a no-op), so its
    // insert does not wait for the WAL flush: a crash may lose the last rows, never an effect.
    const { rows } = await pool.query(
      `WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true))
       INSERT INTO stripe_webhook_deliveries (event_id, type, created, tenant_id, outcome)
       SELECT d.event_id, d.type, to_timestamp(d.created), d.tenant_id, d.outcome
         FROM unflushed, jsonb_to_recordset($1::jsonb)
           AS d(event_id text, type text, created bigint, tenant_id uuid, outcome text)
       ON CONFLICT (event_id) DO UPDATE SET outcome = excluded.outcome, tenant_id = excluded.tenant_id
         WHERE stripe_webhook_deliveries.outcome = 'parked'
            OR (stripe_webhook_deliveries.outcome = 'no-change' AND excluded.outcome = 'applied')
       RETURNING event_id, (xmax = 0) AS inserted`,
      [JSON.stringify(kept.map((d) => ({ event_id: d.eventId, type: d.type, created: d.created, tenant_id: d.tenantId, outcome: d.outcome })))]);
    const written = new Map(rows.map((row) => [row.event_id as string, row.inserted as boolean]));
    // The same event twice in one batch: the copy written answers for the row, the others are duplicates.
    const answering = new Set(kept);
    return deliveries.map((delivery) => {
      const inserted = written.get(delivery.eventId);
      if (inserted === undefined || !answering.has(delivery)) return 'duplicate';
      return inserted ? 'recorded' : 'updated';
    });
  });
  return {
    record: recordDelivery,
    async tenantOfCustomer(customerId) {
      const known = links.get(customerId);
      if (known) return known;
      const { rows } = await pool.query('SELECT tenant_id FROM stripe_customers WHERE customer_id = $1', [customerId]);
      if (rows[0]) remember(customerId, rows[0].tenant_id);
      return rows[0]?.tenant_id ?? null;
    },
    async linkCustomer(customerId, tenantId) {
      const known = links.get(customerId);
      if (known) return { tenantId: known, linkedNow: false };
      // The no-op update makes a concurrent first link return the winner's row instead of nothing;
      // xmax = 0 tells a row this statement inserted.
      const { rows } = await pool.query(
        `INSERT INTO stripe_customers (customer_id, tenant_id) VALUES ($1, $2)
         ON CONFLICT (customer_id) DO UPDATE SET customer_id = stripe_customers.customer_id
         RETURNING tenant_id, (xmax = 0) AS inserted`,
        [customerId, tenantId]);
      remember(customerId, rows[0].tenant_id);
      return { tenantId: rows[0].tenant_id, linkedNow: rows[0].inserted };
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
    purgeDeliveries: (now) => deleteInBatches(pool, 'stripe_webhook_deliveries', `received_at < $1::timestamptz - ${deliveryRetention}`, now),
    async linkedCustomersWithParked() {
      const { rows } = await pool.query(
        `SELECT DISTINCT p.customer_id FROM stripe_parked_notifications p JOIN stripe_customers c USING (customer_id) LIMIT 1000`);
      return rows.map((row) => row.customer_id);
    },
  };
}
