import { billingView, noBilling, type BillingView, type Plan, type TenantEvent } from '../../domain/tenant';
import type { EventEnvelope } from '../../infra/event-store/port';
import type { SqlStatement } from '../runtime/projection';

/**
 * The tenant events that carry `data.billing`, the tenant's billing view after them. A record, so
 * that a new tenant event type fails to compile until it is said here whether it carries one.
 */
const carriesBilling: Record<Exclude<TenantEvent['type'], 'TenantCreated'>, boolean> = {
  TenantBillingAccountLinked: true, TenantSubscriptionActivated: true, TenantSubscriptionChanged: true,
  TenantSubscriptionCancelled: true, TenantInvoicePaid: true, TenantPaymentFailed: true, TenantPlanChanged: true,
  TenantSuspended: true, TenantRestored: true, TenantPaymentsAccountOpened: false, TenantPaymentsAccountUpdated: false,
};
const isBillingEvent = (type: string): boolean => Object.hasOwn(carriesBilling, type) && carriesBilling[type as keyof typeof carriesBilling];

/**
 * Tenants (rm_tenants): the row holds the billing view of the newest event of the tenant's stream
 * applied, and `plan` is the plan in force. An event changes the row only if its stream revision is
 * newer than the row's: a redelivered or replayed event changes nothing, and since every billing
 * event carries the whole view, the newest one alone decides. Usage figures are counted from
 * rm_member_counts when asked, so they cannot drift.
 */
export function projectTenants(event: EventEnvelope): SqlStatement[] {
  if (event.type === 'TenantCreated') {
    const data = event.data as { name: string; subdomain: string; plan: Plan };
    return [{
      text: `INSERT INTO rm_tenants (tenant_id, name, subdomain, created_at, updated_at, revision, ${billingColumns})
             VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9::timestamptz, $10, $11::timestamptz) ON CONFLICT DO NOTHING`,
      values: [event.tenantId, data.name, data.subdomain, event.occurredAt, event.streamRevision, ...billingValues(billingView(data.plan, noBilling))],
    }];
  }
  if (event.type === 'TenantPaymentsAccountOpened' || event.type === 'TenantPaymentsAccountUpdated') return projectPayments(event);
  if (!isBillingEvent(event.type)) return [];
  const { billing } = event.data as { billing: BillingView };
  return [{
    text: `UPDATE rm_tenants SET (updated_at, revision, ${billingColumns}) =
             ($3::timestamptz, $2, $4, $5, $6, $7::timestamptz, $8, $9::timestamptz)
           WHERE tenant_id = $1 AND revision < $2`,
    values: [event.tenantId, event.streamRevision, event.occurredAt, ...billingValues(billing)],
  }];
}

const billingColumns = 'plan, billing_status, billing_interval, current_period_end, cancel_at_period_end, grace_ends_at';

const billingValues = (billing: BillingView) =>
  [billing.plan, billing.status, billing.interval, billing.currentPeriodEnd, billing.cancelAtPeriodEnd, billing.graceEndsAt];

/**
 * The connected account (DESIGN §11). The stream has already ordered the updates (the domain
 * applies only a newer one), so the row follows the stream's revisions like the billing columns.
 */
function projectPayments(event: EventEnvelope): SqlStatement[] {
  const data = event.data as { accountId: string; chargesEnabled?: boolean };
  return [{
    text: `UPDATE rm_tenants SET updated_at = $3::timestamptz, revision = $2, payments_account_id = $4,
             payments_charges_enabled = coalesce($5, payments_charges_enabled)
           WHERE tenant_id = $1 AND revision < $2`,
    values: [event.tenantId, event.streamRevision, event.occurredAt, data.accountId, data.chargesEnabled ?? null],
  }];
}
