import { entityId } from '../../domain/shared/schemas';
import type { TenantCommand } from '../../domain/tenant';
import type { BillingNotification, PlacedNotification as Placed } from '../../infra/stripe/port';
import type { DeliveryOutcome } from '../../infra/stripe/webhook-records';
import { handleCommand } from '../handle-command';
import type { BillingEdge } from './billing-edge';
import { tenantDecider, tenantStream } from '../tenant-stream';
import { billingFactOf } from './billing-facts-of';
import { applyConnectNotification } from './apply-connect-notification';
import { stripeContext } from './stripe-context';

export type Applied = { outcome: DeliveryOutcome; tenantId: string | null };

/**
 * A verified Stripe notification, translated into our own command on the tenant's stream. The
 * tenant is the one our checkout named in the metadata, else the one its customer is linked to;
 * a notification of a customer not linked yet is parked and applied when the link arrives (or, if
 * that delivery failed half-way, by the scheduler's sweep: `applyStrandedNotifications`).
 */
export async function applyBillingNotification(edge: BillingEdge, notification: BillingNotification): Promise<Applied> {
  if (notification.kind === 'ignored') return { outcome: 'ignored', tenantId: null };
  if ('accountId' in notification) return applyConnectNotification(edge, notification);
  const { tenantId, linkedNow } = await tenantOf(edge, notification);
  if (tenantId === null) {
    if (notification.tenantId !== null) return { outcome: 'unknown-tenant', tenantId: null };
    await edge.records.park(notification);
    // The link may have landed between our look-up and the parking: look again, so that one of
    // the two deliveries always sees the other.
    if ((await edge.records.tenantOfCustomer(notification.customerId)) !== null) await applyParked(edge, notification.customerId);
    return { outcome: 'parked', tenantId: null };
  }
  const outcome = await applyToTenant(edge, tenantId, notification);
  // Notifications parked before the link exist only if the link is new: a notification arriving
  // after it finds the link itself.
  if (linkedNow) await applyParked(edge, notification.customerId);
  return { outcome, tenantId };
}

/** Parked notifications whose customer is linked by now: what a delivery that failed half-way left. */
export async function applyStrandedNotifications(edge: BillingEdge) {
  for (const customerId of await edge.records.linkedCustomersWithParked()) await applyParked(edge, customerId);
}

async function tenantOf(edge: BillingEdge, notification: Placed): Promise<{ tenantId: string | null; linkedNow: boolean }> {
  const named = notification.tenantId;
  if (named === null) return { tenantId: await edge.records.tenantOfCustomer(notification.customerId), linkedNow: false };
  if (!entityId.safeParse(named).success || !(await tenantExists(edge, named))) return { tenantId: null, linkedNow: false };
  const link = await edge.records.linkCustomer(notification.customerId, named);
  // A customer belongs to the tenant it was first linked to; an event naming another is not applied.
  return link.tenantId === named ? link : { tenantId: null, linkedNow: false };
}

/** Reads the tenant's stream, which its command needs next anyway; an absent one is read afresh. */
async function tenantExists(edge: BillingEdge, tenantId: string) {
  let loaded = await edge.streams.load(tenantStream(tenantId), tenantDecider);
  if (loaded.state.kind === 'absent' && loaded.cached) {
    edge.streams.forget(tenantStream(tenantId));
    loaded = await edge.streams.load(tenantStream(tenantId), tenantDecider);
  }
  return loaded.state.kind === 'created';
}

async function applyToTenant(edge: BillingEdge, tenantId: string, notification: Placed): Promise<DeliveryOutcome> {
  let command: TenantCommand;
  if (notification.kind === 'checkout-completed') {
    command = { type: 'LinkBillingAccount', customerId: notification.customerId, checkoutSessionId: notification.checkoutSessionId,
      order: { created: notification.created, eventId: notification.eventId } };
  } else {
    const fact = billingFactOf(notification, edge.prices, edge.gracePeriodSeconds);
    if (fact === 'ignored' || fact === 'unknown-price') return fact;
    command = { type: 'RecordBillingFact', fact };
  }
  return edge.inTurn(tenantId, async () => {
    // Billing facts merge (domain/tenant/billing-facts.ts): a fact the cache already covers is
    // covered by the store too.
    const result = await handleCommand(edge.streams, tenantStream(tenantId), tenantDecider, command,
      stripeContext(edge, tenantId, notification.eventId), undefined, true);
    if (!result.changed) return 'no-change';
    edge.changed(tenantId);
    return 'applied';
  });
}

async function applyParked(edge: BillingEdge, customerId: string) {
  // Removed only once applied and recorded: a failure leaves it parked for the scheduler's sweep.
  for (const parked of await edge.records.parked(customerId)) {
    const applied = await applyBillingNotification(edge, parked);
    await edge.records.record({ ...parked, tenantId: applied.tenantId, outcome: applied.outcome });
    await edge.records.unpark(parked.eventId);
  }
}
