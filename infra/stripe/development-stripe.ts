import { stripeSettings, type StripeSettings } from './billing-config';
import { developmentPrices } from './prices';
import { startStripeStandIn, type StripeStandIn } from './stand-in/stand-in-server';

/** DESIGN §10: the values embedded mode uses, and prints, when no STRIPE_SECRET_KEY is set. */
export const developmentWebhookSecret = 'whsec_development_only';
const developmentSecretKey = 'sk_test_development_only';

/** The plans as the stand-in sells them (the price ids are those of `developmentPrices`). */
const developmentCatalog = [
  { id: 'price_pro_month', productName: 'Pro', unitAmount: 4_900, currency: 'eur', interval: 'month' },
  { id: 'price_pro_year', productName: 'Pro', unitAmount: 49_000, currency: 'eur', interval: 'year' },
  { id: 'price_enterprise_month', productName: 'Enterprise', unitAmount: 19_900, currency: 'eur', interval: 'month' },
  { id: 'price_enterprise_year', productName: 'Enterprise', unitAmount: 199_000, currency: 'eur', interval: 'year' },
] as const;

/**
 * The local Stripe stand-in with the development values, and the platform's Stripe settings
 * pointed at it through the real SDK. Its webhooks go where `standIn.setWebhookUrl` says.
 */
export async function startDevelopmentStripe(options: { now?: () => number; port?: number } = {}): Promise<{ standIn: StripeStandIn; settings: StripeSettings }> {
  const standIn = await startStripeStandIn({
    webhookSecret: developmentWebhookSecret, prices: developmentCatalog.map((price) => ({ ...price })),
    ...(options.now ? { now: options.now } : {}), ...(options.port === undefined ? {} : { port: options.port }),
  });
  const settings = stripeSettings(
    { secretKey: developmentSecretKey, webhookSecret: developmentWebhookSecret, apiBase: standIn.sdkOptions }, developmentPrices);
  return { standIn, settings };
}
