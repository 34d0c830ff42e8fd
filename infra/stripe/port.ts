import { z } from 'zod';

/**
 * What the platform asks of Stripe, in our own words: no Stripe type crosses this port, so the
 * command API and the scheduler never depend on the SDK (and tests can count on one adapter).
 */
const stripeId = z.string().min(1).max(255);
/** Unix seconds, up to the year 2100: what a Stripe timestamp can be. */
export const unixSeconds = z.number().int().min(0).max(4_102_444_800);
const delivered = { eventId: stripeId, type: z.string().min(1).max(255), created: unixSeconds };
const placed = { ...delivered, tenantId: z.string().max(255).nullable(), customerId: stripeId };
/** A metadata value as Stripe keeps it (at most 500 characters), or absent. */
const metadataValue = z.string().max(500).nullable();
const dues = { ...delivered, accountId: stripeId, tenantId: metadataValue, memberId: metadataValue };

/** A verified Stripe event in our words; bounded, so an odd one is refused before anything is written. */
export const billingNotificationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('checkout-completed'), ...placed, checkoutSessionId: stripeId, subscriptionId: stripeId.nullable() }),
  z.object({ kind: z.literal('subscription'), ...placed, subscriptionId: stripeId, status: z.string().max(64),
    priceId: stripeId.nullable(), currentPeriodEnd: unixSeconds.nullable(), cancelAtPeriodEnd: z.boolean() }),
  z.object({ kind: z.literal('invoice'), ...placed, invoiceId: stripeId, subscriptionId: stripeId.nullable(),
    outcome: z.enum(['paid', 'failed']) }),
  /** `account.updated` of a connected account (a Connect event: `event.account` names it). */
  z.object({ kind: z.literal('payments-account'), ...delivered, accountId: stripeId, chargesEnabled: z.boolean() }),
  // Members' dues on a connected account (DESIGN §11): who they are about comes from the metadata
  // our checkout set (the edge checks it against the account's tenant).
  z.object({ kind: z.literal('member-checkout'), ...dues, checkoutSessionId: stripeId, subscriptionId: stripeId,
    membershipTypeId: metadataValue, interval: metadataValue }),
  z.object({ kind: z.literal('member-subscription'), ...dues, subscriptionId: stripeId, status: z.string().max(64),
    membershipTypeId: metadataValue, interval: z.string().max(16).nullable(), periodStart: unixSeconds.nullable(),
    periodEnd: unixSeconds.nullable(), cancelAtPeriodEnd: z.boolean(),
    /** A downgrade our change route scheduled (metadata): the membership type and interval from `pendingFrom`. */
    pendingMembershipTypeId: metadataValue, pendingInterval: metadataValue, pendingFrom: metadataValue }),
  z.object({ kind: z.literal('member-invoice'), ...dues, invoiceId: stripeId, subscriptionId: stripeId,
    outcome: z.enum(['paid', 'failed']), periodStart: unixSeconds.nullable(), periodEnd: unixSeconds.nullable() }),
  /** A verified event of a type the platform does not act on. */
  z.object({ kind: z.literal('ignored'), ...delivered }),
]);
export type BillingNotification = z.infer<typeof billingNotificationSchema>;
/** A notification of the tenant's own billing that names a customer, hence (eventually) a tenant. */
export type PlacedNotification = Extract<BillingNotification, { kind: 'checkout-completed' | 'subscription' | 'invoice' }>;
/** A Connect notification: about a tenant's connected account (which names the tenant) or its members' dues. */
export type ConnectNotification = Extract<BillingNotification, { accountId: string }>;
export type MemberDuesNotification = Extract<BillingNotification, { memberId: string | null }>;

export type CheckoutRequest = {
  tenantId: string;
  /** The tenant's Stripe customer when it has one, so Stripe does not create a second. */
  customerId: string | null;
  priceId: string;
  successUrl: string;
  cancelUrl: string;
};

/** A membership type's recurring price on a tenant's connected account (DESIGN §11). */
export type MembershipPriceRequest = {
  accountId: string; tenantId: string; membershipTypeId: string; name: string;
  interval: 'month' | 'year'; unitAmountCents: number; currency: string;
};

export type MemberCheckoutRequest = {
  accountId: string; tenantId: string; memberId: string; membershipTypeId: string; interval: 'month' | 'year';
  priceId: string; successUrl: string; cancelUrl: string;
  /** PLATFORM_FEE_PERCENT, as the subscription's application fee; 0 charges none. */
  applicationFeePercent: number;
  /** When the session stops taking payment (unix seconds; Stripe takes 30 minutes to 24 hours). */
  expiresAt: number;
};

export type MeterEvent = { eventName: string; customerId: string; value: number; identifier: string; timestamp: number };

export type StripeBilling = {
  createCheckoutSession(request: CheckoutRequest): Promise<{ checkoutSessionId: string; url: string }>;
  createPortalSession(request: { customerId: string; returnUrl: string }): Promise<{ url: string }>;
  /** 'duplicate' when Stripe already has an event with this identifier: a retry never counts twice. */
  reportMeterEvent(event: MeterEvent): Promise<'reported' | 'duplicate'>;
  /**
   * DESIGN §11: creates the tenant's connected (Express) account. Keyed by the tenant: a retry,
   * or two requests at once, get the one account Stripe created for it.
   */
  createConnectedAccount(request: { tenantId: string }): Promise<{ accountId: string }>;
  /** A link that takes the tenant's owner through Stripe's onboarding of the account. */
  createAccountLink(request: { accountId: string; returnUrl: string; refreshUrl: string }): Promise<{ url: string }>;
  /**
   * Creates the product and price of a membership type on the connected account; keyed by what
   * the price is, so a retry (or two requests at once) get the one Stripe created.
   */
  createMembershipPrice(request: MembershipPriceRequest): Promise<{ priceId: string }>;
  /** A Checkout session on the connected account; it and its subscription carry the member in their metadata. */
  createMemberCheckoutSession(request: MemberCheckoutRequest): Promise<{ checkoutSessionId: string; url: string }>;
  /**
   * Moves a member's subscription to another price: prorated at once (an upgrade), or from the
   * next period without proration (a downgrade); `metadata` says which terms are in force when.
   */
  changeMemberSubscription(request: { accountId: string; subscriptionId: string; priceId: string; metadata: Record<string, string>; prorate: boolean }): Promise<void>;
  /** Cancels a member's subscription now, or at the end of its period. */
  cancelMemberSubscription(request: { accountId: string; subscriptionId: string; atPeriodEnd: boolean }): Promise<void>;
  /**
   * Verifies a delivery on its raw bytes (HMAC-SHA256, 300 s tolerance) with the webhook secret,
   * or the Connect one, and translates it.
   */
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
