import type { Config } from '../config/config';
import { parsePriceTable, type PriceTable } from './prices';
import { createStripeBilling, type StripeBillingOptions } from './stripe-billing';
import type { StripeBilling } from './port';

export type StripeSettings = { stripe: StripeBilling; prices: PriceTable };

/**
 * Stripe from the environment, for the distributed roles: all of STRIPE_SECRET_KEY,
 * STRIPE_WEBHOOK_SECRET and STRIPE_PRICES, or none (no billing). Half a configuration is refused
 * at start, naming what is missing.
 */
export function stripeFromEnvironment(config: Config): StripeSettings | undefined {
  const { STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_PRICES: prices } = config;
  if (!secretKey && !webhookSecret && !prices) return undefined;
  const missing = Object.entries({ STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_PRICES: prices })
    .filter(([, value]) => !value).map(([name]) => name);
  if (missing.length > 0) throw new Error(`Missing configuration: ${missing.join(', ')} (billing needs all three Stripe settings)`);
  return stripeSettings({
    secretKey: secretKey!, webhookSecret: webhookSecret!,
    ...(config.STRIPE_CONNECT_WEBHOOK_SECRET ? { connectWebhookSecret: config.STRIPE_CONNECT_WEBHOOK_SECRET } : {}),
  }, prices!);
}

export function stripeSettings(options: StripeBillingOptions, prices: string): StripeSettings {
  return { stripe: createStripeBilling(options), prices: parsePriceTable(prices) };
}
