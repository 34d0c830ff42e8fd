import Stripe from 'stripe';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertStripeError, connectedAccount, connectReceived, eventOf, MEMBER_METADATA, memberCheckout, membershipPrice, onboardedAccount, rejection } from './connect-fixture';
import { CONNECT_WEBHOOK_SECRET, PRICES, withFixture } from './stand-in-fixture';

const verifier = new Stripe('sk_test_verifier');
const REGULAR = { name: 'Regular', unitAmount: 2000, interval: 'month' } as const;

test('products and prices live in their connected account only', () =>
  withFixture(async (fixture) => {
    const a = await onboardedAccount(fixture, 'tenant-a');
    const b = await onboardedAccount(fixture, 'tenant-b');
    const price = await membershipPrice(fixture, a, REGULAR);
    assert.match(price.id, /^price_/);
    assert.is(price.unit_amount, 2000);
    assert.is(price.currency, 'eur');
    assert.is(price.recurring?.interval, 'month');
    assert.equal(price.metadata, { membershipTypeId: 'Regular' });
    assert.is((await fixture.stripe.prices.retrieve(price.id, {}, { stripeAccount: a })).id, price.id);
    const product = await fixture.stripe.products.retrieve(String(price.product), {}, { stripeAccount: a });
    assert.is(product.name, 'Regular');

    const fromB = await rejection(fixture.stripe.prices.retrieve(price.id, {}, { stripeAccount: b }));
    assertStripeError(fromB, Stripe.errors.StripeInvalidRequestError, 404, 'resource_missing', 'price');
    assert.is((fromB as Error).message, `No such price: '${price.id}'`);
    const fromPlatform = await rejection(fixture.stripe.prices.retrieve(price.id));
    assertStripeError(fromPlatform, Stripe.errors.StripeInvalidRequestError, 404, 'resource_missing', 'price');
    const productFromB = await rejection(fixture.stripe.products.retrieve(String(price.product), {}, { stripeAccount: b }));
    assertStripeError(productFromB, Stripe.errors.StripeInvalidRequestError, 404, 'resource_missing', 'id');
    const checkoutOnB = await rejection(memberCheckout(fixture, b, price.id));
    assertStripeError(checkoutOnB, Stripe.errors.StripeInvalidRequestError, 400, 'resource_missing', 'line_items[0][price]');
    // The platform's own catalogue is not a connected account's either.
    const platformPrice = await rejection(memberCheckout(fixture, a, PRICES[0]?.id ?? ''));
    assertStripeError(platformPrice, Stripe.errors.StripeInvalidRequestError, 400, 'resource_missing', 'line_items[0][price]');

    const unknownAccount = await rejection(fixture.stripe.prices.retrieve(price.id, {}, { stripeAccount: 'acct_nobody' }));
    assertStripeError(unknownAccount, Stripe.errors.StripePermissionError, 403, 'account_invalid');
    const noRecurring = await rejection(fixture.stripe.prices.create({ product: String(price.product), unit_amount: 1, currency: 'eur' }, { stripeAccount: a }));
    assertStripeError(noRecurring, Stripe.errors.StripeInvalidRequestError, 400, undefined, 'recurring');
  }),
);

test('checkout on a connected account needs charges enabled; application_fee_percent needs a connected account', () =>
  withFixture(async (fixture) => {
    const { id } = await connectedAccount(fixture, 'tenant-1');
    const price = await membershipPrice(fixture, id, REGULAR);
    const disabled = await rejection(memberCheckout(fixture, id, price.id));
    assertStripeError(disabled, Stripe.errors.StripeInvalidRequestError, 400);
    assert.match((disabled as Error).message, /cannot currently make charges/);

    const onPlatform = await rejection(
      fixture.stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: PRICES[0]?.id ?? '', quantity: 1 }],
        success_url: 'http://app.test/ok',
        cancel_url: 'http://app.test/no',
        subscription_data: { application_fee_percent: 5 },
      }),
    );
    assertStripeError(onPlatform, Stripe.errors.StripeInvalidRequestError, 400, undefined, 'subscription_data[application_fee_percent]');
  }),
);

test('paying a connected checkout on its page sends the three events as Connect events of that account', () =>
  withFixture(async (fixture) => {
    const account = await onboardedAccount(fixture, 'tenant-1');
    const price = await membershipPrice(fixture, account, REGULAR);
    const session = await memberCheckout(fixture, account, price.id);
    assert.is(session.url, `${fixture.standIn.url}/checkout/${session.id}`);
    assert.match(await (await fetch(session.url ?? '')).text(), /Regular[\s\S]*20\.00 EUR/);
    const paid = await fetch(`${session.url}/pay`, { method: 'POST', redirect: 'manual' });
    assert.is(paid.headers.get('location'), `http://app.test/members/member-1/paid?session=${session.id}`);

    const received = connectReceived(fixture).slice(1); // after onboarding's account.updated
    assert.equal(received.map((r) => r.event.type), ['checkout.session.completed', 'customer.subscription.created', 'invoice.paid']);
    assert.is(fixture.received.length, 4);
    for (const { raw, header } of received) {
      const event = verifier.webhooks.constructEvent(raw, header, CONNECT_WEBHOOK_SECRET);
      assert.is(event.account, account);
    }
    const events = received.map((r) => r.event);
    const completed = eventOf(events, 'checkout.session.completed').data.object;
    assert.equal(completed.metadata, MEMBER_METADATA);
    const subscription = eventOf(events, 'customer.subscription.created').data.object;
    assert.is(completed.subscription, subscription.id);
    assert.equal(subscription.metadata, MEMBER_METADATA);
    assert.is(subscription.application_fee_percent, 2.5);
    assert.is(subscription.items.data[0]?.price.id, price.id);
    const invoice = eventOf(events, 'invoice.paid').data.object;
    assert.equal(invoice.parent?.subscription_details?.metadata, MEMBER_METADATA);
    assert.is(invoice.amount_paid, 2000);

    const read = await fixture.stripe.subscriptions.retrieve(subscription.id, {}, { stripeAccount: account });
    assert.is(read.status, 'active');
    const customer = await fixture.stripe.customers.retrieve(String(read.customer), {}, { stripeAccount: account });
    assert.is(customer.deleted ? null : customer.email, 'member-1@tenant-1.test');
    const fromPlatform = await rejection(fixture.stripe.subscriptions.retrieve(subscription.id));
    assertStripeError(fromPlatform, Stripe.errors.StripeInvalidRequestError, 404, 'resource_missing', 'id');
  }),
);

test.run();
