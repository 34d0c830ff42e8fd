import type { Pool } from 'pg';
import type { StripeBilling } from '../../infra/stripe/port';

/** The meter Stripe bills member seats on (DESIGN §10). */
export const memberSeatsMeter = 'member_seats';

/**
 * One tenant's member seats for one day: stored first (the first figure of the day is the day's
 * figure, so a retry reports the same one), then sent to Stripe with the identifier
 * `<tenantId>:<day>`, which Stripe counts once however often it is sent, then marked reported.
 * A tenant without a Stripe customer (provisioned by the operator) keeps its figures locally only.
 */
export async function reportMemberSeats(
  pool: Pick<Pool, 'query'>, stripe: StripeBilling | undefined,
  usage: { tenantId: string; customerId: string | null; day: string; memberSeats: number; now: Date },
): Promise<'reported' | 'stored'> {
  const { tenantId, customerId, day, now } = usage;
  await pool.query(
    `INSERT INTO tenant_usage_days (tenant_id, day, member_seats) VALUES ($1, $2::date, $3) ON CONFLICT (tenant_id, day) DO NOTHING`,
    [tenantId, day, usage.memberSeats]);
  if (!stripe || customerId === null) return 'stored';
  const { rows } = await pool.query('SELECT member_seats FROM tenant_usage_days WHERE tenant_id = $1 AND day = $2::date', [tenantId, day]);
  // A late report of an earlier day is stamped with that day's last second.
  const endOfDay = Date.parse(`${day}T23:59:59Z`);
  await stripe.reportMeterEvent({
    eventName: memberSeatsMeter, customerId, value: rows[0].member_seats, identifier: `${tenantId}:${day}`,
    timestamp: Math.floor(Math.min(now.getTime(), endOfDay) / 1000),
  });
  await pool.query('UPDATE tenant_usage_days SET reported_at = $3 WHERE tenant_id = $1 AND day = $2::date AND reported_at IS NULL',
    [tenantId, day, now.toISOString()]);
  return 'reported';
}
