import type Stripe from 'stripe';
import type { StripeStandIn } from '../../../infra/stripe/stand-in/stand-in-server';
import { developmentWebhookSecret } from '../../../infra/stripe/development-stripe';
import { round } from '../stats';

type Post = (path: string, token: string, body: unknown) => Promise<{ status: number; body: any }>;
type Send = (workerData: { url: string; secret: string; concurrency: number; lives: string[][] }) => Promise<number>;
type Deps = { post: Post; sign: (tenantId: string) => Promise<string>; tenantIds: string[]; standIn: StripeStandIn; commandUrl: string; send: Send; log: (m: string) => void };

const urls = { successUrl: 'https://example.org/a', cancelUrl: 'https://example.org/b' };

/**
 * Members' dues (DESIGN §11): each tenant connects its account, then each member's Stripe life on
 * it (checkout, a failed renewal, its payment, a cancellation at period end) is delivered as
 * Connect events, each member's in order and 64 members at a time: deliveries per second.
 */
export async function measureConnectWebhooks({ post, sign, tenantIds, standIn, commandUrl, send, log }: Deps, membersPerTenant: number) {
  log(`connecting ${tenantIds.length} tenants and making the dues lives of ${tenantIds.length * membersPerTenant} members`);
  const owners = await Promise.all(tenantIds.map(sign));
  // Onboarding first: a member's checkout needs the account's charges enabled.
  const onboarding: Stripe.Event[][] = [];
  for (const owner of owners) {
    const connect = await post('/v1/payments/connect', owner, { returnUrl: urls.successUrl, refreshUrl: urls.cancelUrl });
    onboarding.push(await standIn.completeOnboarding(connect.body.accountId));
  }
  await send({ url: commandUrl, secret: developmentWebhookSecret, concurrency: 64, lives: onboarding.map((l) => l.map((e) => JSON.stringify(e))) });
  const lives: Stripe.Event[][] = [];
  for (const owner of owners) {
    const type = await post('/v1/membership-types', owner, { name: 'Dues', monthlyPriceCents: 1500, currency: 'EUR', features: [] });
    for (let n = 0; n < membersPerTenant; n++) {
      const member = await post('/v1/members', owner, { email: `m${n}@example.org`, firstName: 'M', lastName: `${n}` });
      lives.push(await dues(post, standIn, owner, member.body.memberId, type.body.membershipTypeId));
    }
  }
  const deliveries = lives.reduce((n, life) => n + life.length, 0);
  log(`delivering ${deliveries} signed Connect events from a sender thread`);
  const seconds = await send({ url: commandUrl, secret: developmentWebhookSecret, concurrency: 64, lives: lives.map((l) => l.map((e) => JSON.stringify(e))) });
  return { deliveries, seconds: round(seconds), perSecond: round(deliveries / seconds), target: '≥ 1,000/s' };
}

async function dues(post: Post, standIn: StripeStandIn, owner: string, memberId: string, membershipTypeId: string) {
  const session = await post(`/v1/members/${memberId}/subscription/checkout`, owner, { membershipTypeId, interval: 'month', ...urls });
  if (session.status !== 201) throw new Error(`member checkout: ${session.status} ${JSON.stringify(session.body)}`);
  const events = await standIn.completeCheckout(session.body.checkoutSessionId);
  const subscriptionId = (events.find((e) => e.type === 'customer.subscription.created')!.data.object as Stripe.Subscription).id;
  events.push(...await standIn.failPayment(subscriptionId), ...await standIn.payInvoice(subscriptionId));
  events.push(...await standIn.cancel(subscriptionId, { atPeriodEnd: true }));
  return events;
}
