import { conflict, notFound } from '../shared/domain-error';
import { isAtOrAfter } from '../shared/time';
import { factKey, isNewer, type BillingFact, type StripeOrder } from './billing-facts';
import { billingView, currentSubscription, withFact, type BillingView } from './billing-view';
import type { TenantEvent } from './events';
import { decidePayments, type OpenPaymentsAccount, type RecordPaymentsAccountUpdate } from './payments';
import type { Plan } from './plans';
import { tenantBilling, type Tenant, type TenantState } from './state';

export type CreateTenant = {
  type: 'CreateTenant';
  tenantId: string;
  name: string;
  subdomain: string;
  plan: Plan;
};
/** A subscription or invoice fact translated from a verified Stripe event. */
export type RecordBillingFact = { type: 'RecordBillingFact'; fact: BillingFact };
/** A completed checkout: the tenant's Stripe customer. */
export type LinkBillingAccount = { type: 'LinkBillingAccount'; customerId: string; checkoutSessionId: string; order: StripeOrder };
/** Sent by the scheduler: a dunning episode whose grace period has passed unpaid suspends the tenant. */
export type SuspendUnpaidTenant = { type: 'SuspendUnpaidTenant'; now: string };

export type TenantCommand = CreateTenant | RecordBillingFact | LinkBillingAccount | SuspendUnpaidTenant | OpenPaymentsAccount | RecordPaymentsAccountUpdate;

export function decideTenant(command: TenantCommand, state: TenantState): TenantEvent[] {
  if (command.type === 'CreateTenant') {
    if (state.kind === 'created') throw conflict('tenant-already-exists', 'This tenant already exists.');
    const { tenantId, name, plan } = command;
    return [{ type: 'TenantCreated', data: { tenantId, name, subdomain: command.subdomain.toLowerCase(), plan } }];
  }
  if (state.kind === 'absent') throw notFound('tenant-not-found', 'No such tenant.');
  switch (command.type) {
    case 'RecordBillingFact':
      return recordFact(command.fact, state);
    case 'LinkBillingAccount': {
      const known = state.billing.customerLink;
      if (known && !isNewer(command.order, known.order)) return [];
      const { customerId, checkoutSessionId, order } = command;
      const billing = billingView(state.plan, state.billing);
      return [{ type: 'TenantBillingAccountLinked', data: { customerId, checkoutSessionId, order, billing } }];
    }
    case 'OpenPaymentsAccount':
    case 'RecordPaymentsAccountUpdate':
      return decidePayments(command, state.payments);
    case 'SuspendUnpaidTenant': {
      const before = tenantBilling(state);
      if (before.status !== 'past_due' || before.graceEndsAt === null || !isAtOrAfter(command.now, before.graceEndsAt)) return [];
      const billing = billingView(state.plan, { ...state.billing, suspendedEpisodes: [...state.billing.suspendedEpisodes, before.graceEndsAt] });
      return [{ type: 'TenantSuspended', data: { reason: 'grace-period-ended', graceEndsAt: before.graceEndsAt, billing } }];
    }
  }
}

/** [] when the fact teaches nothing new (a duplicate, or older than what is known of its object). */
function recordFact(fact: BillingFact, tenant: Tenant): TenantEvent[] {
  const merged = withFact(tenant.billing, fact);
  const key = factKey(fact);
  const known = fact.kind === 'subscription' ? tenant.billing.subscriptions[key] : tenant.billing.invoices[key];
  const next = fact.kind === 'subscription' ? merged.subscriptions[key] : merged.invoices[key];
  if (known !== undefined && JSON.stringify(known) === JSON.stringify(next)) return [];
  const before = tenantBilling(tenant);
  const after = billingView(tenant.plan, merged);
  return [factEvent(fact, tenant, after), ...consequences(before, after, fact)];
}

function factEvent(fact: BillingFact, tenant: Tenant, billing: BillingView): TenantEvent {
  if (fact.kind === 'invoice') {
    return { type: fact.outcome === 'paid' ? 'TenantInvoicePaid' : 'TenantPaymentFailed', data: { fact, billing } };
  }
  if (fact.status === 'canceled') return { type: 'TenantSubscriptionCancelled', data: { fact, billing } };
  const had = currentSubscription(tenant.billing);
  const hadOne = had !== undefined && had.status !== 'canceled';
  return { type: hadOne ? 'TenantSubscriptionChanged' : 'TenantSubscriptionActivated', data: { fact, billing } };
}

function consequences(before: BillingView, after: BillingView, fact: BillingFact): TenantEvent[] {
  const events: TenantEvent[] = [];
  if (before.plan !== after.plan) events.push({ type: 'TenantPlanChanged', data: { from: before.plan, to: after.plan, billing: after } });
  if (before.status !== 'suspended' && after.status === 'suspended') {
    // Only a Stripe status (unpaid, paused) suspends at once; grace periods end through the scheduler.
    const reason = fact.kind === 'subscription' ? 'subscription-unpaid' : 'grace-period-ended';
    events.push({ type: 'TenantSuspended', data: { reason, graceEndsAt: after.graceEndsAt, billing: after } });
  }
  if (before.status === 'suspended' && after.status !== 'suspended') events.push({ type: 'TenantRestored', data: { billing: after } });
  return events;
}
