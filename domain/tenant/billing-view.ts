import { withStripeFact } from '../shared/stripe-fact-merge';
import { isNewer, type InvoiceFact, type StripeOrder, type SubscriptionFact, type BillingFact } from './billing-facts';
import { z } from 'zod';
import { conflict, paymentRequired } from '../shared/domain-error';
import { isoInstant } from '../shared/schemas';
import { billingIntervalSchema, planSchema, type Plan } from './plans';

export const billingStatusSchema = z.enum(['free', 'active', 'trialing', 'past_due', 'suspended', 'canceled']);
export type BillingStatus = z.infer<typeof billingStatusSchema>;

/** What the tenant's billing is now, as `GET /v1/tenant` shows it and plan limits use it. */
export const billingViewSchema = z.object({
  status: billingStatusSchema,
  plan: planSchema,
  interval: billingIntervalSchema.nullable(),
  currentPeriodEnd: isoInstant.nullable(),
  cancelAtPeriodEnd: z.boolean(),
  graceEndsAt: isoInstant.nullable(),
});
export type BillingView = z.infer<typeof billingViewSchema>;

/** Every fact received, merged per Stripe object; plus the dunning episodes the scheduler ended. */
export type TenantBilling = {
  customerLink: { customerId: string; order: StripeOrder } | null;
  subscriptions: Record<string, SubscriptionFact>;
  invoices: Record<string, InvoiceFact>;
  /** `graceEndsAt` of each dunning episode whose grace period passed unpaid. */
  suspendedEpisodes: string[];
};

export const noBilling: TenantBilling = { customerLink: null, subscriptions: {}, invoices: {}, suspendedEpisodes: [] };

export const withFact = (billing: TenantBilling, fact: BillingFact): TenantBilling => withStripeFact(billing, fact);

const newestOf = <T extends { order: StripeOrder }>(items: T[]) =>
  items.reduce<T | undefined>((best, item) => (best === undefined || isNewer(item.order, best.order) ? item : best), undefined);

/** The subscription whose newest fact is the newest: across objects, the newest event decides. */
export function currentSubscription(billing: TenantBilling): SubscriptionFact | undefined {
  return newestOf(Object.values(billing.subscriptions));
}

/** The Stripe customer of the tenant: its current subscription's, else the one checkout linked. */
export function billingCustomerId(billing: TenantBilling): string | null {
  return currentSubscription(billing)?.customerId ?? billing.customerLink?.customerId ?? null;
}

/** How long a completed checkout waits for its subscription before a new checkout is allowed. */
const pendingCheckoutSeconds = 24 * 3600;

/**
 * True when the tenant pays through Stripe already, or a checkout completed (at `now`, ISO) and
 * its subscription has not been heard of yet: a second checkout would bill it twice.
 */
export function hasSubscriptionInForce(billing: TenantBilling, now: string): boolean {
  const current = currentSubscription(billing);
  if (current && current.status !== 'canceled') return true;
  const link = billing.customerLink;
  if (link === null || (current !== undefined && !isNewer(link.order, current.order))) return false;
  return Date.parse(now) / 1000 - link.order.created < pendingCheckoutSeconds;
}

/**
 * DESIGN §10: a tenant suspended for non-payment keeps reading; its writes are refused, except
 * those that let it pay (the billing routes).
 */
export function refuseWritesWhenSuspended(view: BillingView) {
  if (view.status !== 'suspended') return;
  throw paymentRequired('tenant-suspended',
    'This tenant is suspended for non-payment: pay the open invoice (POST /v1/billing/portal) to write again.');
}

/** A checkout for a tenant that pays already would bill it twice: its plan changes in the portal. */
export function refuseSecondCheckout(billing: TenantBilling, now: string) {
  if (hasSubscriptionInForce(billing, now)) {
    throw conflict('subscription-exists', 'This tenant already has a subscription: change its plan in the billing portal.');
  }
}

/** The Stripe customer the billing portal opens for; none before a first checkout. */
export function requireBillingCustomer(billing: TenantBilling): string {
  const customerId = billingCustomerId(billing);
  if (!customerId) throw conflict('no-billing-account', 'This tenant has no Stripe customer yet: start a checkout first.');
  return customerId;
}

const statusOfSubscription: Record<Exclude<SubscriptionFact['status'], 'canceled'>, BillingStatus> = {
  trialing: 'trialing', active: 'active', past_due: 'past_due', unpaid: 'suspended', paused: 'suspended',
};

/** A function of the set of facts only: the same facts in any order give the same view. */
export function billingView(provisionedPlan: Plan, billing: TenantBilling): BillingView {
  const current = currentSubscription(billing);
  if (!current) {
    // Provisioned by the operator without Stripe: a paid plan is simply active, with no period.
    return { status: provisionedPlan === 'free' ? 'free' : 'active', plan: provisionedPlan, interval: null,
      currentPeriodEnd: null, cancelAtPeriodEnd: false, graceEndsAt: null };
  }
  if (current.status === 'canceled') {
    return { status: 'canceled', plan: 'free', interval: null, currentPeriodEnd: null, cancelAtPeriodEnd: false, graceEndsAt: null };
  }
  const invoices = Object.values(billing.invoices)
    .filter((invoice) => invoice.subscriptionId === null || invoice.subscriptionId === current.subscriptionId);
  const decisive = newestOf<SubscriptionFact | InvoiceFact>([current, ...invoices])!;
  const subscriptionStatus = statusOfSubscription[current.status];
  let status: BillingStatus;
  if (decisive.kind === 'subscription') status = subscriptionStatus;
  else if (decisive.outcome === 'failed') status = 'past_due';
  // A payment lifts dunning; a trial's own (zero) invoice does not end the trial.
  else status = subscriptionStatus === 'trialing' ? 'trialing' : 'active';
  const graceEndsAt = status === 'past_due' ? graceOfEpisode(current, invoices) : null;
  if (status === 'past_due' && graceEndsAt !== null && billing.suspendedEpisodes.includes(graceEndsAt)) status = 'suspended';
  return {
    status, plan: current.plan, interval: current.interval, currentPeriodEnd: current.currentPeriodEnd,
    cancelAtPeriodEnd: current.cancelAtPeriodEnd, graceEndsAt: status === 'past_due' || status === 'suspended' ? graceEndsAt : null,
  };
}

/** The episode began with the earliest failure since the last payment (or the subscription's own past_due). */
function graceOfEpisode(current: SubscriptionFact, invoices: InvoiceFact[]): string {
  const lastPaid = newestOf(invoices.filter((invoice) => invoice.outcome === 'paid'));
  const failures = invoices
    .filter((invoice) => invoice.outcome === 'failed' && (lastPaid === undefined || isNewer(invoice.order, lastPaid.order)))
    .map((invoice) => invoice.graceEndsAt!)
    .sort();
  return failures[0] ?? current.graceEndsAt;
}
