/**
 * What the platform asks of Stripe, in our own words: no Stripe type crosses this port, so the
 * command API and the scheduler never depend on the SDK (and tests can count on one adapter).
 */
export type BillingNotification =
  | { kind: 'checkout-completed'; eventId: string; type: string; created: number; tenantId: string | null;
      customerId: string; checkoutSessionId: string; subscriptionId: string | null }
  | { kind: 'subscription'; eventId: string; type: string; created: number; tenantId: string | null;
      customerId: string; subscriptionId: string; status: string; priceId: string | null;
      currentPeriodEnd: number | null; cancelAtPeriodEnd: boolean }
  | { kind: 'invoice'; eventId: string; type: string; created: number; tenantId: string | null;
      customerId: string; invoiceId: string; subscriptionId: string | null; outcome: 'paid' | 'failed' }
  /** A verified event of a type the platform does not act on. */
  | { kind: 'ignored'; eventId: string; type: string; created: number };

export type CheckoutRequest = {
  tenantId: string;
  /** The tenant's Stripe customer when it has one, so Stripe does not create a second. */
  customerId: string | null;
  priceId: string;
  successUrl: string;
  cancelUrl: string;
};

export type MeterEvent = { eventName: string; customerId: string; value: number; identifier: string; timestamp: number };

export type StripeBilling = {
  createCheckoutSession(request: CheckoutRequest): Promise<{ checkoutSessionId: string; url: string }>;
  createPortalSession(request: { customerId: string; returnUrl: string }): Promise<{ url: string }>;
  /** 'duplicate' when Stripe already has an event with this identifier: a retry never counts twice. */
  reportMeterEvent(event: MeterEvent): Promise<'reported' | 'duplicate'>;
  /** Verifies a delivery on its raw bytes (HMAC-SHA256, 300 s tolerance) and translates it. */
  verifyWebhook(rawBody: Buffer, signatureHeader: string | undefined): BillingNotification;
};

/** The delivery is not from Stripe (or not as sent): refused, and nothing is recorded. */
export class WebhookSignatureError extends Error {}

/** Signed, but not a Stripe event we can read (no id, type or object; an object of the wrong shape). */
export class WebhookPayloadError extends Error {}

/** Stripe refused a request of ours (bad parameters, unknown customer…): the message says why. */
export class StripeRequestError extends Error {
  constructor(message: string, readonly param: string | null) {
    super(message);
  }
}

/** Stripe could not be reached or failed on its side: nothing was changed, the caller may retry. */
export class StripeUnavailableError extends Error {}
