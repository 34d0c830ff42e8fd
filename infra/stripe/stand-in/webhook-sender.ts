import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import Stripe from 'stripe';

export type Delivery = { eventId: string; status: number | 'failed' };
export type DeliveryResult = { status: number | 'failed' };

export type WebhookSenderOptions = {
  secret: string;
  url?: string;
  /** Connect events (those with `account`) are signed with this; default `secret`. */
  connectSecret?: string;
  /** Where Connect events go; unset, they follow the platform URL, wherever it is set later. */
  connectUrl?: string;
  log: (line: string) => void;
};

export type WebhookSender = {
  setUrl(url: string): void;
  setConnectUrl(url: string): void;
  /** Delivers in order, after anything already queued; resolves when these are done. */
  send(events: Stripe.Event[]): Promise<DeliveryResult[]>;
  signatureFor(payload: string, timestamp?: number): string;
  connectSignatureFor(payload: string, timestamp?: number): string;
  /** Resolves once every delivery queued so far has finished. */
  drain(): Promise<void>;
  deliveries: Delivery[];
};

/** We give up on a receiver after this long and record the delivery as failed. */
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * Signs and POSTs events one at a time, awaiting each response, like a single Stripe endpoint
 * (Stripe does not promise order; a strictly sequential sender is the kindest case, and tests
 * use `deliver` to reorder or duplicate). Platform and Connect events share that one queue, so
 * their relative order is the order they happened in; each goes to its own endpoint with its own
 * secret, as a platform's account endpoint and Connect endpoint do. Failures are logged and
 * recorded, never thrown, and not retried. The signature carries the wall-clock time, not the
 * injectable `now`, because receivers check it against their own clock (SDK tolerance: 300 s).
 */
export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const signer = new Stripe('sk_test_stand_in');
  const deliveries: Delivery[] = [];
  let url = options.url;
  let connectUrl = options.connectUrl;
  let tail: Promise<unknown> = Promise.resolve();

  const sign = (secret: string) => (payload: string, timestamp = Math.floor(Date.now() / 1000)) =>
    signer.webhooks.generateTestHeaderString({ payload, secret, timestamp });
  const signatureFor = sign(options.secret);
  const connectSignatureFor = sign(options.connectSecret ?? options.secret);

  const deliverOne = async (event: Stripe.Event): Promise<DeliveryResult> => {
    const connect = event.account !== undefined;
    const target = connect ? (connectUrl ?? url) : url;
    if (target === undefined) {
      options.log(`webhook ${event.type} ${event.id}: no webhook URL set, not delivered`);
      return { status: 'failed' };
    }
    const payload = JSON.stringify(event, null, 2);
    const signature = connect ? connectSignatureFor(payload) : signatureFor(payload);
    const status = await post(target, payload, signature).catch((error: unknown) => {
      options.log(`webhook ${event.type} ${event.id} → ${target}: failed (${error instanceof Error ? error.message : String(error)})`);
      return 'failed' as const;
    });
    if (status !== 'failed') options.log(`webhook ${event.type} ${event.id} → ${target}: ${status}`);
    deliveries.push({ eventId: event.id, status });
    return { status };
  };

  const send = (events: Stripe.Event[]): Promise<DeliveryResult[]> => {
    const run = tail.then(async () => {
      const results: DeliveryResult[] = [];
      for (const event of events) results.push(await deliverOne(event));
      return results;
    });
    tail = run.catch(() => undefined);
    return run;
  };

  return {
    setUrl: (next) => {
      url = next;
    },
    setConnectUrl: (next) => {
      connectUrl = next;
    },
    send,
    signatureFor,
    connectSignatureFor,
    drain: () => tail.then(() => undefined),
    deliveries,
  };
}

/** One POST on a fresh connection (no keep-alive), so nothing lingers after `close()`. */
function post(target: string, payload: string, signature: string): Promise<number> {
  const parsed = new URL(target);
  const request = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      parsed,
      {
        method: 'POST',
        agent: false,
        timeout: DELIVERY_TIMEOUT_MS,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(payload),
          'stripe-signature': signature,
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no response within ${DELIVERY_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}
