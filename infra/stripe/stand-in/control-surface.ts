import type Stripe from 'stripe';
import { scopeHolding, type AccountScopes } from './account-scope';
import { completeCheckout } from './checkout-completion';
import { changeAccount } from './connect-accounts';
import { cancelNow, changeSubscription } from './subscription-changes';
import { renewSubscription } from './subscription-renewal';
import type { WebhookSender } from './webhook-sender';

export type ControlSurface = ReturnType<typeof createControlSurface>;

/**
 * What tests (and the pages) do to the stand-in directly, as a buyer, Stripe's scheduler or a
 * connected account's owner would. Each takes an object id and acts in the account that holds it,
 * platform or connected, so Connect objects need no extra argument. A step's state change and its
 * events happen at once; delivery follows, in order, and the step resolves once it is done.
 */
export function createControlSurface(scopes: AccountScopes, sender: WebhookSender) {
  const run = async (step: () => Stripe.Event[]): Promise<Stripe.Event[]> => {
    const built = step();
    await sender.send(built);
    return built;
  };
  const session = (id: string) => scopeHolding(scopes, (store) => store.sessions.has(id));
  const subscription = (id: string) => scopeHolding(scopes, (store) => store.subscriptions.has(id));
  const { events } = scopes.platform;
  return {
    completeCheckout: (id: string) => run(() => completeCheckout(session(id), id)),
    failPayment: (id: string) => run(() => renewSubscription(subscription(id), id, 'failed')),
    payInvoice: (id: string) => run(() => renewSubscription(subscription(id), id, 'paid')),
    changePrice: (id: string, priceId: string) => run(() => changeSubscription(subscription(id), id, { priceId })),
    setStatus: (id: string, status: Stripe.Subscription.Status) => run(() => changeSubscription(subscription(id), id, { status })),
    cancel: (id: string, { atPeriodEnd }: { atPeriodEnd: boolean }) =>
      run(() => (atPeriodEnd ? changeSubscription(subscription(id), id, { cancelAtPeriodEnd: true }) : cancelNow(subscription(id), id))),
    renew: (id: string) => run(() => changeSubscription(subscription(id), id, { cancelAtPeriodEnd: false })),
    completeOnboarding: (accountId: string) => run(() => changeAccount(scopes.connect, events, accountId, { onboarded: true })),
    setChargesEnabled: (accountId: string, enabled: boolean) =>
      run(() => changeAccount(scopes.connect, events, accountId, { chargesEnabled: enabled })),
    /** The store holding a checkout session, for the checkout page. */
    sessionStore: (id: string) => session(id).store,
  };
}
