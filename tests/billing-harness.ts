import type Stripe from 'stripe';
import { evolveTenant, initialTenantState, tenantBilling, type TenantState } from '../domain/tenant';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { startDevelopmentStripe } from '../infra/stripe/development-stripe';
import type { StripeStandIn } from '../infra/stripe/stand-in/stand-in-server';
import { graceSeconds } from '../domain/tenant/billing-fixtures';
import { startHarness, type Harness } from './platform-harness';

export type BillingHarness = Harness & {
  standIn: StripeStandIn;
  /** The stand-in's clock, unix seconds: tests move it to place Stripe's `created`. */
  clock: { now: number };
  /** POSTs an event to the webhook route as Stripe would, signed over the exact bytes sent. */
  deliver: (event: Stripe.Event | object, options?: { body?: string; signature?: string }) => Promise<{ status: number; body: any }>;
  /** The tenant's billing as its stream says (the command side's truth). */
  billingOf: (tenantId: string) => Promise<ReturnType<typeof tenantBilling> | undefined>;
  checkout: (owner: string, plan?: 'pro' | 'enterprise', interval?: 'month' | 'year') => Promise<string>;
};

export { graceSeconds } from '../domain/tenant/billing-fixtures';

/** The embedded platform with billing against the local Stripe stand-in (through the real SDK). */
export async function startBillingHarness(): Promise<BillingHarness> {
  const clock = { now: Math.floor(Date.now() / 1000) };
  const { standIn, settings } = await startDevelopmentStripe({ now: () => clock.now });
  const harness = await startHarness({ billing: { ...settings, gracePeriodSeconds: graceSeconds } });
  const deliver: BillingHarness['deliver'] = async (event, options = {}) => {
    const body = options.body ?? JSON.stringify(event);
    const reply = await harness.platform.commandApi.inject({
      method: 'POST', url: '/v1/webhooks/stripe', payload: body,
      headers: { 'content-type': 'application/json', ...(options.signature === '' ? {} : { 'stripe-signature': options.signature ?? standIn.signatureFor(body) }) },
    });
    return { status: reply.statusCode, body: JSON.parse(reply.body) };
  };
  const billingOf = async (tenantId: string) => {
    const history = await harness.platform.eventStore.readStream(tenantStreamId('tenant', tenantId));
    const state = history.reduce<TenantState>((s, e) => evolveTenant(s, e as never), initialTenantState);
    return state.kind === 'created' ? tenantBilling(state) : undefined;
  };
  const checkout = async (owner: string, plan: 'pro' | 'enterprise' = 'pro', interval: 'month' | 'year' = 'month') => {
    const reply = await harness.command('POST', '/v1/billing/checkout', owner,
      { plan, interval, successUrl: 'https://example.org/ok', cancelUrl: 'https://example.org/no' });
    if (reply.status !== 201) throw new Error(`checkout failed: ${reply.text}`);
    return reply.body.checkoutSessionId as string;
  };
  return {
    ...harness, standIn, clock, deliver, billingOf, checkout,
    close: async () => {
      await harness.close();
      await standIn.close();
    },
  };
}

/** The subscription a checkout's events created. */
export const subscriptionOf = (events: Stripe.Event[]) =>
  (events.find((e) => e.type === 'customer.subscription.created')!.data.object as Stripe.Subscription).id;
