import Stripe from 'stripe';
import * as assert from 'uvu/assert';
import { CONNECT_WEBHOOK_PATH, type Fixture, type Received } from './stand-in-fixture';

/** Test-only: the Connect calls our membership-dues adapter makes, through the real SDK. */
export async function connectedAccount(fixture: Fixture, tenantId: string): Promise<Stripe.Account> {
  return fixture.stripe.accounts.create({ type: 'express', metadata: { tenantId } });
}

/** An account whose owner finished onboarding (charges enabled). */
export async function onboardedAccount(fixture: Fixture, tenantId: string): Promise<string> {
  const account = await connectedAccount(fixture, tenantId);
  await fixture.standIn.completeOnboarding(account.id);
  return account.id;
}

export type MembershipPlan = { name: string; unitAmount: number; interval: 'month' | 'year' };

/** A membership type's product and price, on the connected account. */
export async function membershipPrice(fixture: Fixture, stripeAccount: string, plan: MembershipPlan): Promise<Stripe.Price> {
  const product = await fixture.stripe.products.create({ name: plan.name, metadata: { membershipTypeId: plan.name } }, { stripeAccount });
  return fixture.stripe.prices.create(
    { product: product.id, unit_amount: plan.unitAmount, currency: 'eur', recurring: { interval: plan.interval }, metadata: { membershipTypeId: plan.name } },
    { stripeAccount },
  );
}

export const MEMBER_METADATA = { tenantId: 'tenant-1', memberId: 'member-1', membershipTypeId: 'Regular' };

/** A member's checkout on the connected account, as DESIGN §11 creates it. */
export function memberCheckout(fixture: Fixture, stripeAccount: string, price: string, fee = 2.5) {
  return fixture.stripe.checkout.sessions.create(
    {
      mode: 'subscription',
      line_items: [{ price, quantity: 1 }],
      success_url: 'http://app.test/members/member-1/paid?session={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://app.test/members/member-1',
      metadata: MEMBER_METADATA,
      subscription_data: { metadata: MEMBER_METADATA, application_fee_percent: fee },
      customer_email: 'member-1@tenant-1.test',
    },
    { stripeAccount },
  );
}

/** A member paying for a subscription on the account (control surface); returns its id. */
export async function memberSubscription(fixture: Fixture, stripeAccount: string, price: string): Promise<string> {
  const session = await memberCheckout(fixture, stripeAccount, price);
  const created = (await fixture.standIn.completeCheckout(session.id)).find((event) => event.type === 'customer.subscription.created');
  if (created?.type !== 'customer.subscription.created') throw new Error('no subscription created');
  return created.data.object.id;
}

/** What reached the Connect endpoint (verified there with the Connect secret). */
export function connectReceived(fixture: Fixture): Received[] {
  return fixture.received.filter((received) => received.path === CONNECT_WEBHOOK_PATH);
}

export function eventOf<T extends Stripe.Event['type']>(events: Stripe.Event[], type: T): Extract<Stripe.Event, { type: T }> {
  const event = events.find((candidate) => candidate.type === type);
  if (event === undefined) throw new Error(`no ${type} among ${events.map((e) => e.type).join(', ')}`);
  return event as Extract<Stripe.Event, { type: T }>;
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** A Stripe error as the SDK raises it: its class, HTTP status, code and param. */
export function assertStripeError(error: unknown, kind: typeof Stripe.errors.StripeError, statusCode: number, code?: string, param?: string): void {
  assert.instance(error, kind);
  const stripeError = error as Stripe.errors.StripeError;
  assert.is(stripeError.statusCode, statusCode);
  assert.is(stripeError.code, code);
  assert.is(stripeError.param, param);
}
