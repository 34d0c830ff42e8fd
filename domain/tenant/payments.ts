import { z } from 'zod';
import { conflict } from '../shared/domain-error';
import { isNewer, stripeId, stripeOrderSchema, type StripeOrder } from '../shared/stripe-order';

/**
 * The tenant's own Stripe account (Connect, DESIGN §11), into which its members pay their dues.
 * Charges are enabled once Stripe says so in an `account.updated`; those updates, like every
 * Stripe delivery, arrive in any order, so the newest (`created`, then event id) decides.
 */
export const paymentsAccountOpenedSchema = z.object({ accountId: stripeId });
export const paymentsAccountUpdatedSchema = z.object({ accountId: stripeId, chargesEnabled: z.boolean(), order: stripeOrderSchema });

export type PaymentsAccount = { accountId: string; chargesEnabled: boolean; order: StripeOrder | null };

/** Opens the account the platform created on Stripe for this tenant. */
export type OpenPaymentsAccount = { type: 'OpenPaymentsAccount'; accountId: string };
/** What a verified `account.updated` of the tenant's account says. */
export type RecordPaymentsAccountUpdate = { type: 'RecordPaymentsAccountUpdate'; accountId: string; chargesEnabled: boolean; order: StripeOrder };

export type PaymentsEvent =
  | { type: 'TenantPaymentsAccountOpened'; data: z.infer<typeof paymentsAccountOpenedSchema> }
  | { type: 'TenantPaymentsAccountUpdated'; data: z.infer<typeof paymentsAccountUpdatedSchema> };

/**
 * [] when nothing is new: the account is the one already opened (a tenant keeps its first
 * account), or the update is not newer than the last one applied. An update of another account
 * than the tenant's is never applied: the webhook edge finds the tenant by the account's link.
 */
export function decidePayments(command: OpenPaymentsAccount | RecordPaymentsAccountUpdate, payments: PaymentsAccount | null): PaymentsEvent[] {
  if (command.type === 'OpenPaymentsAccount') {
    return payments ? [] : [{ type: 'TenantPaymentsAccountOpened', data: { accountId: command.accountId } }];
  }
  const { accountId, chargesEnabled, order } = command;
  const updated: PaymentsEvent = { type: 'TenantPaymentsAccountUpdated', data: { accountId, chargesEnabled, order } };
  // An update can overtake the stream's opening (the edge has linked the account to this tenant
  // before it asks Stripe anything): it opens the account itself.
  if (!payments) return [{ type: 'TenantPaymentsAccountOpened', data: { accountId } }, updated];
  if (payments.accountId !== accountId) return [];
  if (payments.order && !isNewer(order, payments.order)) return [];
  return [updated];
}

export function evolvePayments(payments: PaymentsAccount | null, event: PaymentsEvent): PaymentsAccount | null {
  if (event.type === 'TenantPaymentsAccountOpened') return payments ?? { accountId: event.data.accountId, chargesEnabled: false, order: null };
  if (!payments || payments.accountId !== event.data.accountId) return payments;
  if (payments.order && !isNewer(event.data.order, payments.order)) return payments;
  return { ...payments, chargesEnabled: event.data.chargesEnabled, order: event.data.order };
}

/** Members pay through the tenant's account only once Stripe has enabled its charges. */
export function requireChargesEnabled(payments: PaymentsAccount | null): string {
  if (!payments?.chargesEnabled) {
    throw conflict('payments-not-enabled', 'The tenant’s Stripe account cannot take payments yet: finish onboarding (POST /v1/payments/connect).');
  }
  return payments.accountId;
}
