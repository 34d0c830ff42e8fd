import { z } from 'zod';
import type { Tenant } from '../../../domain/tenant';
import type { CommandRouteSpec } from '../../command-route';
import type { BillingDependencies, RouteDependencies } from '../../dependencies';
import type { CommandContext } from '../../handle-command';
import { handleCommand } from '../../handle-command';
import { tenantDecider, tenantStream } from '../../tenant-stream';
import { billingOf, billingRefusals, returnUrl } from '../billing/billing-available';

export const connectBody = z.strictObject({ returnUrl, refreshUrl: returnUrl });

/**
 * POST /v1/payments/connect (DESIGN §11): the tenant's connected Stripe account, created the
 * first time, and a fresh onboarding link to it every time (a link is single-use and short-lived,
 * so an owner who left onboarding half-way asks again). `account.updated` then says when charges
 * are enabled.
 */
export function startConnectOnboardingRoute(deps: RouteDependencies): CommandRouteSpec<z.infer<typeof connectBody>, object> {
  return {
    method: 'POST', url: '/v1/payments/connect', summary: 'Connect the tenant’s own Stripe account to collect members’ dues (onboarding link)',
    roles: ['owner'], body: connectBody, params: z.object({}),
    status: 201, etag: false, response: z.object({ accountId: z.string(), url: z.string() }), refusals: billingRefusals,
    async handle({ body, tenant, context }) {
      const billing = billingOf(deps);
      const accountId = tenant!.payments?.accountId ?? await openAccount(deps, billing, tenant!, context);
      const { url } = await billing.stripe.createAccountLink({ accountId, returnUrl: body.returnUrl, refreshUrl: body.refreshUrl });
      return { status: 201, body: { accountId, url } };
    },
  };
}

/**
 * Stripe creates the account (once per tenant: the call is keyed by it), the link to the tenant
 * is recorded before anything else (Stripe may send `account.updated` at once), then the stream
 * says the account is open. A retry after a failure anywhere finds the same account again.
 */
async function openAccount(deps: RouteDependencies, billing: BillingDependencies, tenant: Tenant, context: CommandContext) {
  const created = await billing.stripe.createConnectedAccount({ tenantId: tenant.tenantId });
  const accountId = await billing.connectedAccounts.link(created.accountId, tenant.tenantId);
  await billing.inTurn(tenant.tenantId, () => handleCommand(deps.streams, tenantStream(tenant.tenantId), tenantDecider,
    { type: 'OpenPaymentsAccount', accountId }, context));
  // Routes read the tenant through the guard's cache: it must see the account from now on.
  deps.requireTenant.forget(tenant.tenantId);
  return accountId;
}
