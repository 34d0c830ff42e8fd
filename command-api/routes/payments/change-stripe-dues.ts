import { duesView, requireDuesInForce, type Member } from '../../../domain/member';
import { requireChargesEnabled, type Tenant } from '../../../domain/tenant';
import type { CommandReply } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { billingOf } from '../billing/billing-available';
import { membershipPrice } from './membership-price';

export type DuesTarget = { member: Member; tenant: Tenant; revision: number; position: number };
type PricedType = { membershipTypeId: string; name: string; monthlyPriceCents: number; currency: string };

const unixSeconds = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));

/**
 * Stripe-billed dues change in Stripe (DESIGN §11); the member's subscription follows when
 * Stripe's events arrive, hence 202 with the member's revision and position as they are. An
 * upgrade applies at once, prorated; a downgrade from the period's end (Stripe bills the new price
 * from then; the metadata says until when the current terms stay in force: the pending change).
 */
export async function changeStripeDues(deps: RouteDependencies, target: DuesTarget, type: PricedType, interval: 'month' | 'year'): Promise<CommandReply> {
  const { member, tenant } = target;
  const billing = billingOf(deps);
  const accountId = requireChargesEnabled(tenant.payments);
  const view = requireDuesInForce(member);
  const reply = accepted(target);
  const wanted = (t: { membershipTypeId: string; interval: string }) => t.membershipTypeId === type.membershipTypeId && t.interval === interval;
  if (wanted(view.pendingChange ?? view.terms)) return reply;
  const owner = { tenantId: tenant.tenantId, memberId: member.memberId };
  const inForce = { membershipTypeId: view.terms.membershipTypeId, interval: view.terms.interval };
  if (view.pendingChange) {
    // A downgrade is pending: Stripe already bills its price. Back to the price in force first,
    // without proration (the period was paid at it), so that nothing is credited for the wrong price.
    const inForcePrice = await membershipPrice(billing, { accountId, tenantId: tenant.tenantId, interval: view.terms.interval,
      type: { membershipTypeId: view.terms.membershipTypeId, name: view.terms.membershipTypeId, monthlyPriceCents: view.terms.monthlyAmountCents, currency: view.terms.currency } });
    await billing.stripe.changeMemberSubscription({ accountId, subscriptionId: view.subscriptionId, priceId: inForcePrice, prorate: false,
      metadata: { ...owner, ...inForce, pendingMembershipTypeId: '', pendingInterval: '', pendingFrom: '' } });
    if (wanted(view.terms)) return reply;
  }
  const priceId = await membershipPrice(billing, { accountId, tenantId: tenant.tenantId, type, interval });
  const upgrade = type.monthlyPriceCents >= view.terms.monthlyAmountCents;
  const metadata = upgrade
    ? { ...owner, membershipTypeId: type.membershipTypeId, interval, pendingMembershipTypeId: '', pendingInterval: '', pendingFrom: '' }
    : { ...owner, ...inForce, pendingMembershipTypeId: type.membershipTypeId, pendingInterval: interval, pendingFrom: unixSeconds(view.terms.periodEnd) };
  await billing.stripe.changeMemberSubscription({ accountId, subscriptionId: view.subscriptionId, priceId, metadata, prorate: upgrade });
  return reply;
}

/** Cancels in Stripe, now or at the period's end; the member's subscription follows Stripe's event. */
export async function cancelStripeDues(deps: RouteDependencies, target: DuesTarget, atPeriodEnd: boolean): Promise<CommandReply> {
  const billing = billingOf(deps);
  // Cancelling needs the account only: an account whose charges Stripe disabled can still stop charging.
  const accountId = target.tenant.payments?.accountId ?? requireChargesEnabled(null);
  const view = requireDuesInForce(target.member);
  if (!(atPeriodEnd && view.cancelAtPeriodEnd)) {
    await billing.stripe.cancelMemberSubscription({ accountId, subscriptionId: view.subscriptionId, atPeriodEnd });
  }
  return accepted(target);
}

function accepted({ member, revision, position }: DuesTarget): CommandReply {
  return { status: 202, body: { memberId: member.memberId, revision, position }, revision };
}

/** A deactivated member's Stripe-billed dues are cancelled in Stripe at once (DESIGN §11). */
export async function cancelDuesOfDeactivated(deps: RouteDependencies, tenant: Tenant, member: Member) {
  if (member.subscription?.billing !== 'stripe' || !deps.billing || !tenant.payments) return;
  const view = duesView(member.stripe.facts, member.stripe.lapsedEpisodes);
  if (!view || view.status === 'cancelled') return;
  await deps.billing.stripe.cancelMemberSubscription({ accountId: tenant.payments.accountId, subscriptionId: view.subscriptionId, atPeriodEnd: false });
}
