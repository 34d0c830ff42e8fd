import Stripe from 'stripe';
import type { BillingInterval } from './billing-period';
import { newId } from './ids';

/** One price the stand-in sells; the only catalogue there is. */
export type StandInPrice = {
  id: string;
  productName: string;
  unitAmount: number;
  currency: string;
  interval: BillingInterval;
};

/**
 * A price with its product and legacy plan, never changed once built: the platform's are built at
 * start-up from the options, a connected account's through POST /v1/products and /v1/prices.
 */
export type CatalogEntry = { input: StandInPrice; product: Stripe.Product; price: Stripe.Price; plan: Stripe.Plan };

function decimal(amount: number): Stripe.Decimal {
  return Stripe.Decimal.from(String(amount));
}

export function buildCatalog(prices: StandInPrice[], created: number): Map<string, CatalogEntry> {
  const catalog = new Map<string, CatalogEntry>();
  for (const input of prices) catalog.set(input.id, buildCatalogEntry(input, buildProduct(input.productName, created), created));
  return catalog;
}

export function buildCatalogEntry(input: StandInPrice, product: Stripe.Product, created: number, metadata: Record<string, string> = {}): CatalogEntry {
  return {
    input,
    product,
    price: { ...buildPrice(input, product.id, created), metadata },
    plan: { ...buildPlan(input, product.id, created), metadata },
  };
}

export function buildProduct(name: string, created: number, metadata: Record<string, string> = {}): Stripe.Product {
  return {
    id: newId('prod'),
    object: 'product',
    active: true,
    created,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata,
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: created,
    url: null,
  };
}

function buildPrice(input: StandInPrice, productId: string, created: number): Stripe.Price {
  return {
    id: input.id,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created,
    currency: input.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: productId,
    recurring: { interval: input.interval, interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' },
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: 'recurring',
    unit_amount: input.unitAmount,
    unit_amount_decimal: decimal(input.unitAmount),
  };
}

/** Subscription items still carry the legacy `plan` mirror of their price. */
function buildPlan(input: StandInPrice, productId: string, created: number): Stripe.Plan {
  return {
    id: input.id,
    object: 'plan',
    active: true,
    amount: input.unitAmount,
    amount_decimal: decimal(input.unitAmount),
    billing_scheme: 'per_unit',
    created,
    currency: input.currency,
    interval: input.interval,
    interval_count: 1,
    livemode: false,
    metadata: {},
    meter: null,
    nickname: null,
    product: productId,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}
