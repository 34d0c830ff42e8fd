import { z } from 'zod';
import type { TenantCommand } from '../../domain/tenant';
import type { BillingNotification, PlacedNotification as Placed } from '../../infra/stripe/port';
import type { DeliveryOutcome } from '../../infra/stripe/webhook-records';
import type { BillingDependencies, RouteDependencies } from '../dependencies';
import { handleCommand, type CommandContext } from '../handle-command';
import { tenantDecider, tenantStream } from '../tenant-stream';
import { billingFactOf } from './billing-facts-of';

export type Applied = { outcome: DeliveryOutcome; tenantId: string | null };

const tenantIdSchema = z.uuid();

/**
 * A verified Stripe notification, translated into our own command on the tenant's stream. The
 * tenant is the one our checkout named in the metadata, else the one its customer is linked to;
 * a notification of a customer not linked yet is parked and applied when the link arrives.
 */
export async function applyBillingNotification(
  deps: RouteDependencies, billing: BillingDependencies, notification: BillingNotification,
): Promise<Applied> {
  if (notification.kind === 'ignored') return { outcome: 'ignored', tenantId: null };
  const { tenantId, linkedNow } = await tenantOf(deps, billing, notification);
  if (tenantId === null) {
    if (notification.tenantId !== null) return { outcome: 'unknown-tenant', tenantId: null };
    await billing.webhookRecords.park(notification);
    // The link may have landed between our look-up and the parking: look again, so that one of
    // the two deliveries always sees the other.
    if ((await billing.webhookRecords.tenantOfCustomer(notification.customerId)) !== null) {
      await applyParked(deps, billing, notification.customerId);
    }
    return { outcome: 'parked', tenantId: null };
  }
  const outcome = await decide(deps, billing, tenantId, notification);
  // Notifications parked before the link exist only if the link is new: a notification arriving
  // after it finds the link itself.
  if (linkedNow) await applyParked(deps, billing, notification.customerId);
  return { outcome, tenantId };
}

async function tenantOf(
  deps: RouteDependencies, billing: BillingDependencies, notification: Placed,
): Promise<{ tenantId: string | null; linkedNow: boolean }> {
  const named = notification.tenantId;
  if (named === null) return { tenantId: await billing.webhookRecords.tenantOfCustomer(notification.customerId), linkedNow: false };
  if (!tenantIdSchema.safeParse(named).success || !(await tenantExists(deps, named))) return { tenantId: null, linkedNow: false };
  return billing.webhookRecords.linkCustomer(notification.customerId, named);
}

/** Reads the tenant's stream, which its command needs next anyway; an absent one is read afresh. */
async function tenantExists(deps: RouteDependencies, tenantId: string) {
  let loaded = await deps.streams.load(tenantStream(tenantId), tenantDecider);
  if (loaded.state.kind === 'absent' && loaded.cached) {
    deps.streams.forget(tenantStream(tenantId));
    loaded = await deps.streams.load(tenantStream(tenantId), tenantDecider);
  }
  return loaded.state.kind === 'created';
}

async function decide(deps: RouteDependencies, billing: BillingDependencies, tenantId: string, notification: Placed): Promise<DeliveryOutcome> {
  let command: TenantCommand;
  if (notification.kind === 'checkout-completed') {
    command = { type: 'LinkBillingAccount', customerId: notification.customerId, checkoutSessionId: notification.checkoutSessionId,
      order: { created: notification.created, eventId: notification.eventId } };
  } else {
    const fact = billingFactOf(notification, billing.prices, billing.gracePeriodSeconds);
    if (fact === 'ignored' || fact === 'unknown-price') return fact;
    command = { type: 'RecordBillingFact', fact };
  }
  return billing.inTurn(tenantId, async () => {
    // Billing facts merge (domain/tenant/billing-facts.ts): a fact the cache already covers is
    // covered by the store too.
    const result = await handleCommand(deps.streams, tenantStream(tenantId), tenantDecider, command,
      stripeContext(deps, tenantId, notification), undefined, true);
    if (!result.changed) return 'no-change';
    deps.requireTenant.forget(tenantId);
    return 'applied';
  });
}

async function applyParked(deps: RouteDependencies, billing: BillingDependencies, customerId: string) {
  // Removed only once applied and recorded: a failure leaves it parked for the next link or retry.
  for (const parked of await billing.webhookRecords.parked(customerId)) {
    const applied = await applyBillingNotification(deps, billing, parked);
    await billing.webhookRecords.record({ ...parked, tenantId: applied.tenantId, outcome: applied.outcome });
    await billing.webhookRecords.unpark(parked.eventId);
  }
}

function stripeContext(deps: RouteDependencies, tenantId: string, notification: Placed): CommandContext {
  return {
    tenantId, actor: { system: 'stripe' }, correlationId: notification.eventId, causationId: notification.eventId,
    now: deps.now(), newId: deps.newId,
  };
}
