import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import type { AccountScopes } from './account-scope';
import { createApiHandler } from './api-handler';
import { buildCatalog, type StandInPrice } from './catalog-objects';
import { handleCheckoutPage } from './checkout-page';
import { createConnectRegistry } from './connect-accounts';
import { createControlSurface } from './control-surface';
import { createEventFactory } from './event-factory';
import { sendPage } from './html';
import { handleOnboardingPage } from './onboarding-page';
import { handlePortalPage } from './portal-page';
import { createStore } from './stand-in-store';
import { createWebhookSender, type Delivery, type DeliveryResult } from './webhook-sender';

export type { StandInPrice } from './catalog-objects';

export type StripeStandInOptions = {
  host?: string;
  port?: number;
  webhookSecret: string;
  webhookUrl?: string;
  /** Signs Connect events (those of connected accounts, with `account`); default `webhookSecret`. */
  connectWebhookSecret?: string;
  /** Where Connect events go; unset, wherever the platform's go (`webhookUrl`, `setWebhookUrl`). */
  connectWebhookUrl?: string;
  prices: StandInPrice[];
  /** Unix seconds; injectable so tests can move time. */
  now?: () => number;
  log?: (line: string) => void;
};

export type StripeStandIn = {
  url: string;
  sdkOptions: { host: string; port: number; protocol: 'http' };
  setWebhookUrl(url: string): void;
  /** From now on Connect events go here, no longer following the platform URL. */
  setConnectWebhookUrl(url: string): void;
  completeCheckout(sessionId: string): Promise<Stripe.Event[]>;
  failPayment(subscriptionId: string): Promise<Stripe.Event[]>;
  payInvoice(subscriptionId: string): Promise<Stripe.Event[]>;
  changePrice(subscriptionId: string, priceId: string): Promise<Stripe.Event[]>;
  setStatus(subscriptionId: string, status: Stripe.Subscription.Status): Promise<Stripe.Event[]>;
  cancel(subscriptionId: string, options: { atPeriodEnd: boolean }): Promise<Stripe.Event[]>;
  /** The account's owner finishes onboarding: charges and payouts enabled, one account.updated. */
  completeOnboarding(accountId: string): Promise<Stripe.Event[]>;
  /** Stripe enables or disables the account's charges: one account.updated, none if unchanged. */
  setChargesEnabled(accountId: string, enabled: boolean): Promise<Stripe.Event[]>;
  /** Sends to the event's endpoint: the Connect one, signed with its secret, if it has `account`. */
  deliver(event: Stripe.Event): Promise<DeliveryResult>;
  signatureFor(payload: string, timestamp?: number): string;
  connectSignatureFor(payload: string, timestamp?: number): string;
  /** Resolves once every queued delivery (including those caused by API calls) has finished. */
  drain(): Promise<void>;
  events: Stripe.Event[];
  deliveries: Delivery[];
  meterEvents: Stripe.Billing.MeterEvent[];
  close(): Promise<void>;
};

/**
 * Our local Stripe: the /v1 endpoints the adapter calls through the real SDK (for the platform and,
 * with Stripe-Account, for its connected accounts), a checkout page, a portal page, an onboarding
 * page, and signed webhooks. State is in memory and dies with the server.
 */
export async function startStripeStandIn(options: StripeStandInOptions): Promise<StripeStandIn> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const log = options.log ?? (() => undefined);
  const store = createStore(buildCatalog(options.prices, now()));
  const events: Stripe.Event[] = [];
  const scopes: AccountScopes = {
    platform: { store, events: createEventFactory(now, events), now, account: null },
    connect: createConnectRegistry(),
  };
  const sender = createWebhookSender({
    secret: options.webhookSecret,
    url: options.webhookUrl,
    ...(options.connectWebhookSecret === undefined ? {} : { connectSecret: options.connectWebhookSecret }),
    ...(options.connectWebhookUrl === undefined ? {} : { connectUrl: options.connectWebhookUrl }),
    log,
  });
  const control = createControlSurface(scopes, sender);
  let baseUrl = '';

  const api = createApiHandler({ scopes, baseUrl: () => baseUrl, log }, (built) => void sender.send(built));
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const [, section, ...parts] = url.pathname.split('/');
    if (section === 'v1') return api(req, res, url.pathname, url.search.slice(1));
    if (section === 'checkout') return handleCheckoutPage({ now, ...control }, res, req.method ?? 'GET', parts);
    if (section === 'connect' && parts[0] === 'onboarding') {
      return handleOnboardingPage({ connect: scopes.connect, now, ...control }, res, req.method ?? 'GET', parts.slice(1));
    }
    if (section === 'portal') return handlePortalPage({ store, ...control }, req, res, parts);
    return sendPage(res, 404, 'Not found', '');
  };
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      log(`stripe stand-in: ${req.method} ${req.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) sendPage(res, 500, 'Stripe stand-in error', '');
      else res.end();
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host}:${port}`;
  log(`stripe stand-in listening on ${baseUrl}`);

  return {
    url: baseUrl,
    sdkOptions: { host, port, protocol: 'http' },
    setWebhookUrl: sender.setUrl,
    setConnectWebhookUrl: sender.setConnectUrl,
    completeCheckout: control.completeCheckout,
    failPayment: control.failPayment,
    payInvoice: control.payInvoice,
    changePrice: control.changePrice,
    setStatus: control.setStatus,
    cancel: control.cancel,
    completeOnboarding: control.completeOnboarding,
    setChargesEnabled: control.setChargesEnabled,
    deliver: async (event) => (await sender.send([event]))[0] ?? { status: 'failed' },
    signatureFor: sender.signatureFor,
    connectSignatureFor: sender.connectSignatureFor,
    drain: sender.drain,
    events,
    deliveries: sender.deliveries,
    meterEvents: store.meterEvents,
    close: async () => {
      await sender.drain();
      // The SDK keeps sockets alive; without this, close() would wait for them to time out.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
