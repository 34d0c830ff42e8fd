import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DocumentedRoute } from '../../../infra/http/openapi';
import { refusal } from '../../../infra/http/openapi-responses';
import { HttpProblem } from '../../../infra/http/problem';
import { z } from 'zod';
import { metricFamily } from '../../../infra/metrics/prometheus-text';
import { WebhookPayloadError, WebhookSignatureError, type BillingNotification } from '../../../infra/stripe/port';
import { applyBillingNotification } from '../../billing/apply-billing-notification';
import type { BillingEdge } from '../../billing/billing-edge';
import type { BillingDependencies, RouteDependencies } from '../../dependencies';
import { billingOf } from './billing-available';

/** Stripe's events are small; this bounds what an unauthenticated caller can make us hash. */
const webhookBodyLimit = 1024 * 1024;

/**
 * POST /v1/webhooks/stripe (no bearer token). The raw bytes are verified before anything is
 * parsed; a verified event is recorded once by its id and translated into our own commands. Every
 * answer but a dependency outage is final for Stripe: 400 for what is not from Stripe, 200 for the
 * rest (a duplicate, an ignored type, an unknown tenant or price, a signed body we cannot read),
 * so Stripe stops retrying.
 */
export function installStripeWebhookRoute(app: FastifyInstance, deps: RouteDependencies, documents: DocumentedRoute[]) {
  documents.push({
    method: 'POST', url: '/v1/webhooks/stripe', summary: 'Stripe webhook endpoint (events of the platform\'s Stripe account and, through Connect, of the tenants\' accounts)', roles: [],
    response: z.object({ received: z.literal(true) }),
    refusals: [refusal(400, 'webhook-signature-invalid'), () => billingOf({} as RouteDependencies)],
    authenticatedBy: 'No bearer token: the raw body must verify against the Stripe-Signature header (STRIPE_WEBHOOK_SECRET, or STRIPE_CONNECT_WEBHOOK_SECRET for Connect events; 300 s tolerance).',
  });
  let edge: BillingEdge | undefined;
  const edgeOf = (billing: BillingDependencies): BillingEdge => (edge ??= {
    streams: deps.streams, records: billing.webhookRecords, connectedAccounts: billing.connectedAccounts, prices: billing.prices,
    gracePeriodSeconds: billing.gracePeriodSeconds, memberGracePeriodSeconds: billing.memberGracePeriodSeconds,
    inTurn: billing.inTurn, now: deps.now, newId: deps.newId, changed: (tenantId) => deps.requireTenant.forget(tenantId),
  });
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: webhookBodyLimit }, (_request, body, done) => done(null, body));
    scope.post('/v1/webhooks/stripe', async (request, reply) => {
      const billing = billingOf(deps);
      const notification = verified(billing, request);
      // Signed by Stripe but not an event we can read: nothing is applied, and Stripe is answered
      // as for any verified delivery (a retry would not read better; the log and metric tell us).
      if (notification === 'unreadable') return reply.send({ received: true });
      // Applying is idempotent (the domain decides [] for a fact it already knows), so a delivery
      // is applied first and recorded after: a duplicate costs a no-op, and a delivery whose
      // process died before recording it is simply applied again when Stripe retries.
      const applied = await applyBillingNotification(edgeOf(billing), notification);
      const recorded = await billing.webhookRecords.record({ eventId: notification.eventId, type: notification.type,
        created: notification.created, tenantId: applied.tenantId, outcome: applied.outcome });
      if (recorded === 'duplicate') {
        count(billing, notification.type, 'duplicate');
        return reply.send({ received: true });
      }
      // A parked delivery that Stripe resent may have found its tenant by now.
      if (recorded === 'updated' && applied.outcome !== 'parked') await billing.webhookRecords.unpark(notification.eventId);
      count(billing, notification.type, applied.outcome);
      if (applied.outcome.startsWith('unknown-')) {
        request.log.warn({ stripeEventId: notification.eventId, type: notification.type, outcome: applied.outcome }, 'Stripe event not applied');
      }
      return reply.send({ received: true });
    });
  });
}

function verified(billing: BillingDependencies, request: FastifyRequest): BillingNotification | 'unreadable' {
  const signature = request.headers['stripe-signature'];
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  try {
    return billing.stripe.verifyWebhook(body, typeof signature === 'string' ? signature : undefined);
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      count(billing, 'unverified', 'signature-invalid');
      request.log.warn({ reason: error.message }, 'Stripe webhook refused: signature');
      throw new HttpProblem(400, 'webhook-signature-invalid', 'Bad request', 'The Stripe-Signature does not verify this body.');
    }
    if (error instanceof WebhookPayloadError) {
      count(billing, 'unreadable', 'payload-invalid');
      request.log.error({ reason: error.message }, 'Stripe webhook not applied: a verified body that is not a readable event');
      return 'unreadable';
    }
    throw error;
  }
}

function count(billing: BillingDependencies, type: string, outcome: string) {
  const key = `${type} ${outcome}`;
  billing.deliveries.set(key, (billing.deliveries.get(key) ?? 0) + 1);
}

/** Counters of webhook deliveries by Stripe event type and what became of them. */
export function webhookDeliveryMetrics(deliveries: Map<string, number>) {
  return metricFamily('stripe_webhook_deliveries_total', 'counter', 'Stripe webhook deliveries by event type and outcome.',
    [...deliveries].map(([key, value]) => {
      const [type, outcome] = key.split(' ') as [string, string];
      return { labels: { type, outcome }, value };
    }));
}
