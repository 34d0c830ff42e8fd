import { monthsPerInterval } from '../../../domain/member';
import type { BillingDependencies } from '../../dependencies';

type PricedType = { membershipTypeId: string; name: string; monthlyPriceCents: number; currency: string };


/**
 * The price of a membership type on the tenant's connected account: created on Stripe the first
 * time it is needed, then reused while the type costs the same (the record is keyed by the amount,
 * so a new amount is a new price and the old one stays with the subscriptions that have it).
 */
export async function membershipPrice(
  billing: Pick<BillingDependencies, 'stripe' | 'connectedAccounts'>,
  request: { accountId: string; tenantId: string; type: PricedType; interval: 'month' | 'year' },
): Promise<string> {
  const { accountId, tenantId, type, interval } = request;
  const key = { accountId, membershipTypeId: type.membershipTypeId, interval, unitAmountCents: type.monthlyPriceCents * monthsPerInterval[interval], currency: type.currency };
  const known = await billing.connectedAccounts.priceOf(key);
  if (known) return known;
  const { priceId } = await billing.stripe.createMembershipPrice({ ...key, tenantId, name: type.name });
  return billing.connectedAccounts.recordPrice(key, priceId);
}
