import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { readBody } from './read-body';
import { startStripeStandIn, type StandInPrice, type StripeStandIn } from './stand-in-server';

/** Test-only wiring: a stand-in, a webhook receiver that verifies like our adapter will, and a real SDK client. */
export const WEBHOOK_SECRET = 'whsec_stand_in_test_secret';
/** Connect events are signed with their own secret and sent to their own path here. */
export const CONNECT_WEBHOOK_SECRET = 'whsec_stand_in_connect_secret';
export const CONNECT_WEBHOOK_PATH = '/webhooks/connect';

export const PRICES: StandInPrice[] = [
  { id: 'price_basic_monthly', productName: 'Basic', unitAmount: 1500, currency: 'eur', interval: 'month' },
  { id: 'price_pro_monthly', productName: 'Pro', unitAmount: 4900, currency: 'eur', interval: 'month' },
  { id: 'price_pro_yearly', productName: 'Pro (yearly)', unitAmount: 49000, currency: 'eur', interval: 'year' },
];

/** `path` tells which endpoint got it; each endpoint verifies with its own secret, as ours will. */
export type Received = { raw: string; header: string; path: string; event: Stripe.Event };

export type Fixture = {
  standIn: StripeStandIn;
  stripe: Stripe;
  received: Received[];
  /** host:port of every request the SDK made, to prove none left the stand-in. */
  sdkTargets: string[];
  clock: { now: number };
  receiverUrl: string;
  setReceiverStatus(status: number): void;
  close(): Promise<void>;
};

/** Wraps the SDK's own Node client so that we see where each request goes. */
class RecordingHttpClient extends Stripe.HttpClient {
  private readonly inner = Stripe.createNodeHttpClient();
  constructor(private readonly targets: string[]) {
    super();
  }
  override getClientName(): string {
    return 'node';
  }
  override makeRequest(...args: Parameters<Stripe.HttpClient['makeRequest']>) {
    this.targets.push(`${args[0]}:${args[1]}`);
    return this.inner.makeRequest(...args);
  }
}

export async function startFixture(startAt = Date.UTC(2026, 0, 15, 12) / 1000): Promise<Fixture> {
  const received: Received[] = [];
  const verifier = new Stripe('sk_test_verifier');
  let receiverStatus = 200;
  const receiver = createServer(async (req, res) => {
    const raw = await readBody(req);
    const header = String(req.headers['stripe-signature']);
    const path = req.url ?? '/';
    const secret = path === CONNECT_WEBHOOK_PATH ? CONNECT_WEBHOOK_SECRET : WEBHOOK_SECRET;
    try {
      received.push({ raw, header, path, event: verifier.webhooks.constructEvent(raw, header, secret) });
      res.writeHead(receiverStatus).end();
    } catch {
      res.writeHead(400).end();
    }
  });
  const receiverUrl = await listen(receiver);
  const clock = { now: startAt };
  const standIn = await startStripeStandIn({
    webhookSecret: WEBHOOK_SECRET,
    webhookUrl: `${receiverUrl}/webhooks/stripe`,
    connectWebhookSecret: CONNECT_WEBHOOK_SECRET,
    connectWebhookUrl: `${receiverUrl}${CONNECT_WEBHOOK_PATH}`,
    prices: PRICES,
    now: () => clock.now,
  });
  const sdkTargets: string[] = [];
  const stripe = new Stripe('sk_test_x', {
    ...standIn.sdkOptions,
    maxNetworkRetries: 0,
    telemetry: false,
    httpClient: new RecordingHttpClient(sdkTargets),
  });
  return {
    standIn,
    stripe,
    received,
    sdkTargets,
    clock,
    receiverUrl,
    setReceiverStatus: (status) => {
      receiverStatus = status;
    },
    close: async () => {
      await standIn.close();
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    },
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A session as our adapter creates one: tenant metadata on the session and on the subscription. */
export function createSession(client: { stripe: Stripe }, overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return client.stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: 'price_basic_monthly', quantity: 1 }],
    success_url: 'http://app.test/billing/done?session={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://app.test/billing/cancelled',
    client_reference_id: 'tenant-1',
    metadata: { tenantId: 'tenant-1' },
    subscription_data: { metadata: { tenantId: 'tenant-1', planId: 'basic' } },
    customer_email: 'owner@tenant-1.test',
    ...overrides,
  });
}

/** Checkout completed through the control surface; returns the new subscription's id. */
export async function paidSubscription(fixture: Fixture): Promise<string> {
  const session = await createSession(fixture);
  const events = await fixture.standIn.completeCheckout(session.id);
  const subscription = events.find((event) => event.type === 'customer.subscription.created');
  if (subscription?.type !== 'customer.subscription.created') throw new Error('no subscription created');
  return subscription.data.object.id;
}

/** Runs a test body against a fresh fixture and always stops both servers. */
export async function withFixture(body: (fixture: Fixture) => Promise<void>, startAt?: number): Promise<void> {
  const fixture = await startFixture(startAt);
  try {
    await body(fixture);
  } finally {
    await fixture.close();
  }
}
