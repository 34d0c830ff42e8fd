import { assertNever } from '../shared/event';
import { isNewer } from './billing-facts';
import { billingView, noBilling, withFact, type BillingView, type TenantBilling } from './billing-view';
import type { TenantEvent } from './events';
import { evolvePayments, type PaymentsAccount } from './payments';
import type { Plan } from './plans';

/** `plan` is the plan the operator provisioned; the plan in force is `tenantBilling(state).plan`. */
export type Tenant = {
  tenantId: string; name: string; subdomain: string; plan: Plan; billing: TenantBilling;
  /** The tenant's connected Stripe account for its members' dues (DESIGN §11), once opened. */
  payments: PaymentsAccount | null;
};

export type TenantState = { kind: 'absent' } | ({ kind: 'created' } & Tenant);

export const initialTenantState: TenantState = { kind: 'absent' };

export const tenantBilling = (tenant: Tenant): BillingView => billingView(tenant.plan, tenant.billing);

/** Never throws. Billing facts are merged, so replaying them in any order folds to the same state. */
export function evolveTenant(state: TenantState, event: TenantEvent): TenantState {
  if (event.type === 'TenantCreated') return { kind: 'created', ...event.data, billing: noBilling, payments: null };
  if (state.kind === 'absent') return state;
  switch (event.type) {
    case 'TenantSubscriptionActivated':
    case 'TenantSubscriptionChanged':
    case 'TenantSubscriptionCancelled':
    case 'TenantInvoicePaid':
    case 'TenantPaymentFailed':
      return { ...state, billing: withFact(state.billing, event.data.fact) };
    case 'TenantBillingAccountLinked': {
      const { customerId, order } = event.data;
      const known = state.billing.customerLink;
      if (known && !isNewer(order, known.order)) return state;
      return { ...state, billing: { ...state.billing, customerLink: { customerId, order } } };
    }
    case 'TenantSuspended': {
      const episode = event.data.graceEndsAt;
      if (event.data.reason !== 'grace-period-ended' || episode === null || state.billing.suspendedEpisodes.includes(episode)) return state;
      return { ...state, billing: { ...state.billing, suspendedEpisodes: [...state.billing.suspendedEpisodes, episode] } };
    }
    case 'TenantPlanChanged':
    case 'TenantRestored':
      return state;
    case 'TenantPaymentsAccountOpened':
    case 'TenantPaymentsAccountUpdated':
      return { ...state, payments: evolvePayments(state.payments, event) };
    default:
      return assertNever(event);
  }
}
