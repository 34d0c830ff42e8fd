import { z } from 'zod';
import type { EventDefinition } from '../shared/event';
import { entityId, isoInstant } from '../shared/schemas';
import { invoiceFactSchema, stripeId, stripeOrderSchema, subscriptionFactSchema } from './billing-facts';
import { billingViewSchema } from './billing-view';
import { paymentsAccountOpenedSchema, paymentsAccountUpdatedSchema, type PaymentsEvent } from './payments';
import { planSchema } from './plans';

export const tenantCreatedSchema = z.object({
  tenantId: entityId,
  name: z.string().min(1).max(200),
  subdomain: z.string(),
  plan: planSchema,
});

const subscriptionFactEvent = z.object({ fact: subscriptionFactSchema, billing: billingViewSchema });
const invoiceFactEvent = z.object({ fact: invoiceFactSchema, billing: billingViewSchema });
const billingAccountLinked = z.object({
  customerId: stripeId, checkoutSessionId: stripeId, order: stripeOrderSchema, billing: billingViewSchema,
});
const planChanged = z.object({ from: planSchema, to: planSchema, billing: billingViewSchema });
const tenantSuspended = z.object({
  reason: z.enum(['grace-period-ended', 'subscription-unpaid']), graceEndsAt: isoInstant.nullable(), billing: billingViewSchema,
});
const tenantRestored = z.object({ billing: billingViewSchema });

type SubscriptionFactEvent = z.infer<typeof subscriptionFactEvent>;
type InvoiceFactEvent = z.infer<typeof invoiceFactEvent>;

export type TenantEvent =
  | { type: 'TenantCreated'; data: z.infer<typeof tenantCreatedSchema> }
  | { type: 'TenantBillingAccountLinked'; data: z.infer<typeof billingAccountLinked> }
  | { type: 'TenantSubscriptionActivated'; data: SubscriptionFactEvent }
  | { type: 'TenantSubscriptionChanged'; data: SubscriptionFactEvent }
  | { type: 'TenantSubscriptionCancelled'; data: SubscriptionFactEvent }
  | { type: 'TenantInvoicePaid'; data: InvoiceFactEvent }
  | { type: 'TenantPaymentFailed'; data: InvoiceFactEvent }
  | { type: 'TenantPlanChanged'; data: z.infer<typeof planChanged> }
  | { type: 'TenantSuspended'; data: z.infer<typeof tenantSuspended> }
  | { type: 'TenantRestored'; data: z.infer<typeof tenantRestored> }
  | PaymentsEvent;

export const tenantEventDefinitions: Record<TenantEvent['type'], EventDefinition> = {
  TenantCreated: { schemaVersion: 1, schema: tenantCreatedSchema },
  TenantBillingAccountLinked: { schemaVersion: 1, schema: billingAccountLinked },
  TenantSubscriptionActivated: { schemaVersion: 1, schema: subscriptionFactEvent },
  TenantSubscriptionChanged: { schemaVersion: 1, schema: subscriptionFactEvent },
  TenantSubscriptionCancelled: { schemaVersion: 1, schema: subscriptionFactEvent },
  TenantInvoicePaid: { schemaVersion: 1, schema: invoiceFactEvent },
  TenantPaymentFailed: { schemaVersion: 1, schema: invoiceFactEvent },
  TenantPlanChanged: { schemaVersion: 1, schema: planChanged },
  TenantSuspended: { schemaVersion: 1, schema: tenantSuspended },
  TenantRestored: { schemaVersion: 1, schema: tenantRestored },
  TenantPaymentsAccountOpened: { schemaVersion: 1, schema: paymentsAccountOpenedSchema },
  TenantPaymentsAccountUpdated: { schemaVersion: 1, schema: paymentsAccountUpdatedSchema },
};
