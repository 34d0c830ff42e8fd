import type Stripe from 'stripe';
import type { CatalogEntry } from './catalog-objects';
import { newId } from './ids';

const SESSION_LIFETIME_SECONDS = 24 * 60 * 60;

export type CheckoutInput = {
  entry: CatalogEntry;
  quantity: number;
  successUrl: string;
  cancelUrl: string;
  customer: string | null;
  customerEmail: string | null;
  clientReferenceId: string | null;
  metadata: Record<string, string>;
};

/** What the session promised the subscription; Stripe keeps it internally, so do we. */
export type CheckoutExtras = {
  priceId: string;
  quantity: number;
  subscriptionMetadata: Record<string, string>;
  /** `subscription_data[application_fee_percent]`; only a connected account's session has one. */
  applicationFeePercent: number | null;
  lineItemId: string;
};

/** A hosted, subscription-mode session as Stripe returns it right after creation: open and unpaid. */
export function buildCheckoutSession(input: CheckoutInput, baseUrl: string, created: number): Stripe.Checkout.Session {
  const id = newId('cs_test');
  const amount = (input.entry.price.unit_amount ?? 0) * input.quantity;
  return {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: amount,
    amount_total: amount,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created,
    currency: input.entry.price.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: input.customer,
    customer_account: null,
    customer_creation: null, // only payment-mode sessions carry it
    customer_details: null, // filled in when the buyer completes the page
    customer_email: input.customerEmail,
    discounts: [],
    expires_at: created + SESSION_LIFETIME_SECONDS,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: input.metadata,
    mode: 'subscription',
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'always',
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: input.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: `${baseUrl}/checkout/${id}`,
    wallet_options: null,
  };
}

export function customerDetails(email: string | null, name: string | null): Stripe.Checkout.Session.CustomerDetails {
  return { address: null, business_name: null, email, individual_name: null, name, phone: null, tax_exempt: 'none', tax_ids: [] };
}

/** `line_items` is not on the session unless expanded, as on Stripe. */
export function buildCheckoutLineItems(sessionId: string, extras: CheckoutExtras, entry: CatalogEntry): Stripe.ApiList<Stripe.LineItem> {
  const amount = (entry.price.unit_amount ?? 0) * extras.quantity;
  const item: Stripe.LineItem = {
    id: extras.lineItemId,
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: entry.price.currency,
    description: entry.product.name,
    metadata: {},
    price: entry.price,
    quantity: extras.quantity,
  };
  return { object: 'list', data: [item], has_more: false, url: `/v1/checkout/sessions/${sessionId}/line_items` };
}

export function buildPortalSession(customer: string, returnUrl: string | null, baseUrl: string, created: number): Stripe.BillingPortal.Session {
  const id = newId('bps');
  return {
    id,
    object: 'billing_portal.session',
    configuration: 'bpc_stand_in_default',
    created,
    customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: returnUrl,
    url: `${baseUrl}/portal/${id}`,
  };
}
