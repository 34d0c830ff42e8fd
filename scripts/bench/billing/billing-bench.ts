import type Stripe from 'stripe';
import { v7 as uuidv7 } from 'uuid';
import { platformScope } from '../../../infra/auth/jwt';
import { tenantStreamId } from '../../../infra/event-store/stream-name';
import { withCredentials } from '../../../infra/postgres/connection-url';
import { developmentWebhookSecret, startDevelopmentStripe } from '../../../infra/stripe/development-stripe';
import { buildEmbeddedPlatform } from '../../platform/build-platform';
import { benchDatabase } from '../bench-database';
import { Worker } from 'node:worker_threads';
import { profilePhase } from '../cpu-profile';
import { round } from '../stats';
import { measureConnectWebhooks } from './connect-webhooks';

export type BillingBenchOptions = { tenants: number; log: (m: string) => void; profileDir?: string };

const graceSeconds = 2;
const schedulerIntervalMs = 1000;
const jwtSecret = 'bench-secret-bench-secret-bench-secret-0';
/** Tenants delivering at once, each its own events in order (Stripe sends one object's events in turn). */
const concurrency = 64;

/**
 * Billing, self-contained (throw-away PostgreSQL, the local Stripe stand-in): webhook deliveries
 * per second through the HTTP route with signature verification, each tenant's events in order
 * and 64 tenants at a time; the same for members' dues as Connect events (connect-webhooks.ts); then the time from a payment failure to suspension with a 2 s grace
 * period and the scheduler every second (target: within one scheduler interval of the grace end).
 */
export async function runBillingBench(options: BillingBenchOptions) {
  const { log } = options;
  const database = await benchDatabase(log);
  const { standIn, settings } = await startDevelopmentStripe();
  const platform = await buildEmbeddedPlatform({
    databaseUrl: database.url, queryDatabaseUrl: withCredentials(database.url, 'membership_query', 'membership_query'),
    queryRole: 'membership_query', queryRolePassword: 'membership_query', jwtSecret, consistencyTimeoutMs: 5000,
    logger: false, rateLimitPerSecond: 100_000, billing: { ...settings, gracePeriodSeconds: graceSeconds }, schedulerIntervalMs,
  });
  try {
    const commandUrl = await platform.commandApi.listen({ host: '127.0.0.1', port: 0 });
    const platformToken = await platform.tokens.sign({ userId: 'bench', tenantId: platformScope, roles: ['platform'] });
    const post = async (path: string, token: string, body: unknown) => {
      const response = await fetch(`${commandUrl}${path}`, { method: 'POST', body: JSON.stringify(body),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
      return { status: response.status, body: await response.json() as any };
    };
    log(`making the Stripe lives of ${options.tenants} tenants on the stand-in`);
    const lives: { tenantId: string; owner: string; subscriptionId: string; events: Stripe.Event[] }[] = [];
    for (let i = 0; i < options.tenants; i++) {
      const { body } = await post('/v1/tenants', platformToken, { name: `Bench ${i}`, subdomain: `b${uuidv7().slice(-12)}`, plan: 'free' });
      const owner = await platform.tokens.sign({ userId: 'owner', tenantId: body.tenantId, roles: ['owner'] });
      const session = await post('/v1/billing/checkout', owner, { plan: 'pro', interval: 'month', successUrl: 'https://example.org/a', cancelUrl: 'https://example.org/b' });
      const events = await standIn.completeCheckout(session.body.checkoutSessionId);
      const subscriptionId = (events.find((e) => e.type === 'customer.subscription.created')!.data.object as Stripe.Subscription).id;
      events.push(...await standIn.changePrice(subscriptionId, 'price_enterprise_month'), ...await standIn.changePrice(subscriptionId, 'price_pro_month'));
      lives.push({ tenantId: body.tenantId, owner, subscriptionId, events });
    }
    const deliveries = lives.reduce((n, life) => n + life.events.length, 0);
    log(`delivering ${deliveries} signed events from a sender thread`);
    const seconds = await profilePhase(options.profileDir, 'billing-webhooks', () => sendFromWorker({
      url: commandUrl, secret: developmentWebhookSecret, concurrency,
      lives: lives.map((life) => life.events.map((event) => JSON.stringify(event))),
    }));

    // Before the suspension phase, which suspends some of these tenants (their writes then get 402).
    const connect = await measureConnectWebhooks({
      post, sign: (tenantId) => platform.tokens.sign({ userId: 'owner', tenantId, roles: ['owner'] }),
      tenantIds: lives.slice(5).map((life) => life.tenantId), standIn, commandUrl, send: sendFromWorker, log,
    }, 3);

    log('measuring the time from a payment failure to suspension');
    const suspendedAfter: number[] = [];
    const refusedAfter: number[] = [];
    for (const life of lives.slice(0, 5)) {
      const failure = await standIn.failPayment(life.subscriptionId);
      await sendFromWorker({ url: commandUrl, secret: developmentWebhookSecret, concurrency: 1, lives: [failure.map((e) => JSON.stringify(e))] });
      const graceEndsMs = (failure[0]!.created + graceSeconds) * 1000;
      // Suspended: the scheduler's TenantSuspended is in the log. Refused: this tenant's next write
      // gets a 402 (the command API trusts a tenant's state read for up to a second).
      for (let suspended = false, refused = false; !(suspended && refused);) {
        if (!suspended) {
          const history = await platform.eventStore.readStream(tenantStreamId('tenant', life.tenantId));
          const event = history.find((e) => e.type === 'TenantSuspended');
          if (event) {
            suspended = true;
            suspendedAfter.push(Date.parse(event.recordedAt) - graceEndsMs);
          }
        }
        if (!refused) {
          const reply = await post('/v1/membership-types', life.owner, { name: 'x', monthlyPriceCents: 1, currency: 'EUR', features: [] });
          if (reply.status === 402) {
            refused = true;
            refusedAfter.push(Date.now() - graceEndsMs);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    return {
      webhooks: { deliveries, seconds: round(seconds), perSecond: round(deliveries / seconds), target: '≥ 1,000/s' },
      connectWebhooks: connect,
      suspension: {
        gracePeriodSeconds: graceSeconds, schedulerIntervalMs, target: `≤ ${schedulerIntervalMs} ms (one scheduler interval)`,
        suspendedAfterGraceEndsMs: suspendedAfter.map(Math.round), maxSuspendedAfterMs: Math.round(Math.max(...suspendedAfter)),
        writesRefusedAfterGraceEndsMs: refusedAfter.map(Math.round), maxRefusedAfterMs: Math.round(Math.max(...refusedAfter)),
      },
    };
  } finally {
    await platform.close();
    await standIn.close();
    await database.stop();
  }
}

/** Runs the sender thread over the lives (each life's bodies in order) and resolves with its seconds. */
function sendFromWorker(workerData: { url: string; secret: string; concurrency: number; lives: string[][] }): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./webhook-sender.mjs', import.meta.url), { workerData });
    worker.once('message', (message: { seconds?: number; error?: string }) => {
      void worker.terminate();
      if (message.error) reject(new Error(message.error));
      else resolve(message.seconds!);
    });
    worker.once('error', reject);
  });
}
