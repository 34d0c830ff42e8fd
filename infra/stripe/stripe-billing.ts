import Stripe from 'stripe';
import { z } from 'zod';
import {
  billingNotificationSchema, StripeRequestError, StripeUnavailableError, WebhookPayloadError, WebhookSignatureError, type StripeBilling,
} from './port';
import { translateStripeEvent } from './translate-event';

export type StripeBillingOptions = {
  secretKey: string;
  webhookSecret: string;
  /** STRIPE_CONNECT_WEBHOOK_SECRET: the Connect endpoint's secret, when it differs from the platform's. */
  connectWebhookSecret?: string;
  /** The local stand-in's address; unset, the SDK talks to Stripe. */
  apiBase?: { host: string; port: number; protocol: 'http' | 'https' };
};

/** Stripe's tolerance for a signature's timestamp, in seconds (a replayed old delivery is refused). */
const signatureToleranceSeconds = 300;

/** The Stripe port on the official SDK: the one place the platform talks to Stripe. */
export function createStripeBilling(options: StripeBillingOptions): StripeBilling {
  const stripe = new Stripe(options.secretKey, { maxNetworkRetries: 2, timeout: 10_000, telemetry: false, ...options.apiBase });
  return {
    async createCheckoutSession({ tenantId, customerId, priceId, successUrl, cancelUrl }) {
      const session = await refusalsAsErrors(() => stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: priceId, quantity: 1 }],
        success_url: successUrl,
        cancel_url: cancelUrl,
        client_reference_id: tenantId,
        ...(customerId ? { customer: customerId } : {}),
        metadata: { tenantId },
        subscription_data: { metadata: { tenantId } },
      }));
      return { checkoutSessionId: session.id, url: session.url! };
    },
    async createPortalSession({ customerId, returnUrl }) {
      const session = await refusalsAsErrors(() => stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl }));
      return { url: session.url };
    },
    async reportMeterEvent({ eventName, customerId, value, identifier, timestamp }) {
      try {
        await stripe.billing.meterEvents.create({
          event_name: eventName, payload: { stripe_customer_id: customerId, value: String(value) }, identifier, timestamp,
        }, { idempotencyKey: identifier });
        return 'reported';
      } catch (error) {
        if (isDuplicateMeterEvent(error)) return 'duplicate';
        throw error;
      }
    },
    async createConnectedAccount({ tenantId }) {
      const account = await refusalsAsErrors(() => stripe.accounts.create(
        { type: 'express', metadata: { tenantId } }, { idempotencyKey: `connected-account-${tenantId}` }));
      return { accountId: account.id };
    },
    async createAccountLink({ accountId, returnUrl, refreshUrl }) {
      const link = await refusalsAsErrors(() => stripe.accountLinks.create(
        { account: accountId, return_url: returnUrl, refresh_url: refreshUrl, type: 'account_onboarding' }));
      return { url: link.url };
    },
    async createMembershipPrice({ accountId, tenantId, membershipTypeId, name, interval, unitAmountCents, currency }) {
      const metadata = { tenantId, membershipTypeId };
      const product = await refusalsAsErrors(() => stripe.products.create({ name, metadata },
        { stripeAccount: accountId, idempotencyKey: `membership-product-${accountId}-${membershipTypeId}` }));
      const price = await refusalsAsErrors(() => stripe.prices.create({
        product: product.id, unit_amount: unitAmountCents, currency: currency.toLowerCase(), recurring: { interval }, metadata,
      }, { stripeAccount: accountId, idempotencyKey: `membership-price-${accountId}-${membershipTypeId}-${interval}-${unitAmountCents}-${currency}` }));
      return { priceId: price.id };
    },
    async createMemberCheckoutSession(request) {
      const { accountId, tenantId, memberId, membershipTypeId, interval, applicationFeePercent } = request;
      const metadata = { tenantId, memberId, membershipTypeId, interval };
      const session = await refusalsAsErrors(() => stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: request.priceId, quantity: 1 }],
        success_url: request.successUrl,
        cancel_url: request.cancelUrl,
        metadata,
        subscription_data: { metadata, ...(applicationFeePercent > 0 ? { application_fee_percent: applicationFeePercent } : {}) },
        expires_at: request.expiresAt,
      }, { stripeAccount: accountId }));
      return { checkoutSessionId: session.id, url: session.url! };
    },
    async changeMemberSubscription({ accountId, subscriptionId, priceId, metadata, prorate }) {
      const stripeAccount = { stripeAccount: accountId };
      const subscription = await refusalsAsErrors(() => stripe.subscriptions.retrieve(subscriptionId, {}, stripeAccount));
      const item = subscription.items.data[0];
      if (!item) throw new StripeRequestError(`The subscription ${subscriptionId} has no item.`, 'items');
      await refusalsAsErrors(() => stripe.subscriptions.update(subscriptionId, {
        items: [{ id: item.id, price: priceId }], proration_behavior: prorate ? 'create_prorations' : 'none', metadata,
      }, stripeAccount));
    },
    async cancelMemberSubscription({ accountId, subscriptionId, atPeriodEnd }) {
      const stripeAccount = { stripeAccount: accountId };
      await refusalsAsErrors(() => (atPeriodEnd
        ? stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true }, stripeAccount)
        : stripe.subscriptions.cancel(subscriptionId, {}, stripeAccount)));
    },
    verifyWebhook(rawBody, signatureHeader) {
      if (!signatureHeader) throw new WebhookSignatureError('No Stripe-Signature header.');
      const event = verifiedEvent(stripe, rawBody, signatureHeader, options.webhookSecret, options.connectWebhookSecret);
      if (!eventEnvelope.safeParse(event).success) throw new WebhookPayloadError('The body is not a Stripe event.');
      let notification: unknown;
      try {
        notification = translateStripeEvent(event);
      } catch {
        notification = undefined;
      }
      const checked = billingNotificationSchema.safeParse(notification);
      if (!checked.success) throw new WebhookPayloadError(`The ${event.type} event's object does not have Stripe's shape.`);
      return checked.data;
    },
  };
}

/**
 * The event, if the secret of its endpoint signed it: with a Connect secret of its own, Connect
 * events (those with `account`) must verify with it and the platform's own events with the
 * platform secret, so that neither endpoint's secret can speak for the other's events.
 */
function verifiedEvent(stripe: Stripe, rawBody: Buffer, signatureHeader: string, platformSecret: string, connectSecret: string | undefined): Stripe.Event {
  const secrets = connectSecret && connectSecret !== platformSecret ? [platformSecret, connectSecret] : [platformSecret];
  let refusal = '';
  for (const secret of secrets) {
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(rawBody, signatureHeader, secret, signatureToleranceSeconds);
    } catch (error) {
      refusal ||= (error as Error).message;
      continue;
    }
    const forConnect = secrets.length > 1 && secret === connectSecret;
    if (secrets.length === 1 || Boolean(event.account) === forConnect) return event;
    refusal = forConnect ? 'A platform event signed with the Connect secret.' : 'A Connect event signed with the platform secret.';
  }
  throw new WebhookSignatureError(refusal);
}

/** The least a verified body must be before its object is read. */
const eventEnvelope = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  created: z.number().int().min(0),
  data: z.object({ object: z.object({ id: z.string().optional() }).loose() }),
});

async function refusalsAsErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError) throw new StripeRequestError(error.message, error.param ?? null);
    if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError
      || error instanceof Stripe.errors.StripeRateLimitError) throw new StripeUnavailableError(error.message);
    throw error;
  }
}

function isDuplicateMeterEvent(error: unknown) {
  return error instanceof Stripe.errors.StripeInvalidRequestError
    && (error.code === 'duplicate_meter_event' || /identifier.*already/i.test(error.message));
}
