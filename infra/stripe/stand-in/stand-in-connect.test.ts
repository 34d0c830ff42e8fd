import Stripe from 'stripe';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectedAccount, connectReceived, eventOf, MEMBER_METADATA, memberCheckout, membershipPrice, onboardedAccount, rejection } from './connect-fixture';
import { CONNECT_WEBHOOK_PATH, CONNECT_WEBHOOK_SECRET, PRICES, WEBHOOK_SECRET, withFixture } from './stand-in-fixture';
import { startStripeStandIn } from './stand-in-server';

const verifier = new Stripe('sk_test_verifier');
const REGULAR = { name: 'Regular', unitAmount: 2000, interval: 'month' } as const;

function assertStripeError(error: unknown, kind: typeof Stripe.errors.StripeError, statusCode: number, code?: string, param?: string): void {
  assert.instance(error, kind);
  const stripeError = error as Stripe.errors.StripeError;
  assert.is(stripeError.statusCode, statusCode);
  assert.is(stripeError.code, code);
  assert.is(stripeError.param, param);
}

test('an Express account is created and read back; an unknown one is a permission error', () =>
  withFixture(async (fixture) => {
    const account = await connectedAccount(fixture, 'tenant-1');
    assert.match(account.id, /^acct_[A-Za-z0-9]{16}$/);
    assert.is(account.object, 'account');
    assert.is(account.type, 'express');
    assert.is(account.charges_enabled, false);
    assert.is(account.details_submitted, false);
    assert.is(account.payouts_enabled, false);
    assert.equal(account.metadata, { tenantId: 'tenant-1' });
    assert.is(account.created, fixture.clock.now);
    assert.equal(await fixture.stripe.accounts.retrieve(account.id), account);

    const unknown = await rejection(fixture.stripe.accounts.retrieve('acct_nobody'));
    assertStripeError(unknown, Stripe.errors.StripePermissionError, 403, 'account_invalid');
    assert.match((unknown as Error).message, /does not have access to account 'acct_nobody'/);
    const missingType = await rejection(fixture.stripe.accounts.create({ metadata: { tenantId: 'x' } }));
    assertStripeError(missingType, Stripe.errors.StripeInvalidRequestError, 400, 'parameter_missing', 'type');
  }),
);

test('the onboarding link page enables charges and sends account.updated as a Connect event', () =>
  withFixture(async (fixture) => {
    const { id } = await connectedAccount(fixture, 'tenant-1');
    const link = await fixture.stripe.accountLinks.create({
      account: id,
      refresh_url: 'http://app.test/payments/refresh',
      return_url: 'http://app.test/payments/done',
      type: 'account_onboarding',
    });
    assert.is(link.object, 'account_link');
    assert.ok(link.url.startsWith(`${fixture.standIn.url}/connect/onboarding/`), link.url);
    assert.is(link.created, fixture.clock.now);
    assert.is(link.expires_at, fixture.clock.now + 300);

    const page = await fetch(link.url, { redirect: 'manual' });
    assert.is(page.status, 200);
    assert.match(await page.text(), new RegExp(id));
    const done = await fetch(`${link.url}/complete`, { method: 'POST', redirect: 'manual' });
    assert.is(done.status, 303);
    assert.is(done.headers.get('location'), 'http://app.test/payments/done');

    const [received] = connectReceived(fixture);
    assert.is(fixture.received.length, 1);
    assert.is(received?.path, CONNECT_WEBHOOK_PATH);
    const event = verifier.webhooks.constructEvent(received?.raw ?? '', received?.header ?? '', CONNECT_WEBHOOK_SECRET);
    assert.is(event.type, 'account.updated');
    assert.is(event.account, id);
    const updated = eventOf([event], 'account.updated');
    assert.is(updated.data.object.id, id);
    assert.is(updated.data.object.charges_enabled, true);
    assert.is(updated.data.object.details_submitted, true);
    assert.is(updated.data.object.payouts_enabled, true);
    assert.is(updated.data.previous_attributes?.charges_enabled, false);
    assert.throws(
      () => verifier.webhooks.constructEvent(received?.raw ?? '', received?.header ?? '', WEBHOOK_SECRET),
      (error: unknown) => error instanceof Stripe.errors.StripeSignatureVerificationError,
    );
    assert.is((await fixture.stripe.accounts.retrieve(id)).charges_enabled, true);

    // Single-use, as Stripe's: opened again it sends the user to refresh_url for a new link.
    const again = await fetch(link.url, { redirect: 'manual' });
    assert.is(again.status, 303);
    assert.is(again.headers.get('location'), 'http://app.test/payments/refresh');
  }),
);

test('links expire, refuse unknown accounts, and charges can be switched off and on with one event each', () =>
  withFixture(async (fixture) => {
    const { id } = await connectedAccount(fixture, 'tenant-1');
    const params = { account: id, refresh_url: 'http://app.test/r', return_url: 'http://app.test/d', type: 'account_onboarding' as const };
    const unknown = await rejection(fixture.stripe.accountLinks.create({ ...params, account: 'acct_nobody' }));
    assertStripeError(unknown, Stripe.errors.StripeInvalidRequestError, 400, 'resource_missing', 'account');
    assert.is((unknown as Error).message, "No such account: 'acct_nobody'");

    const link = await fixture.stripe.accountLinks.create(params);
    fixture.clock.now += 301;
    const expired = await fetch(link.url, { redirect: 'manual' });
    assert.is(expired.headers.get('location'), 'http://app.test/r');
    const leave = await fetch(`${(await fixture.stripe.accountLinks.create(params)).url}/leave`, { method: 'POST', redirect: 'manual' });
    assert.is(leave.headers.get('location'), 'http://app.test/d');
    assert.is((await fixture.stripe.accounts.retrieve(id)).charges_enabled, false);
    assert.is(fixture.standIn.events.length, 0);

    await fixture.standIn.completeOnboarding(id);
    assert.equal(await fixture.standIn.completeOnboarding(id), []);
    const paused = await fixture.standIn.setChargesEnabled(id, false);
    assert.is(eventOf(paused, 'account.updated').data.object.charges_enabled, false);
    assert.is(eventOf(paused, 'account.updated').data.object.payouts_enabled, true);
    assert.equal(await fixture.standIn.setChargesEnabled(id, false), []);
    await fixture.standIn.setChargesEnabled(id, true);
    assert.equal(connectReceived(fixture).map((r) => [r.event.type, r.event.account, r.event.type === 'account.updated' && r.event.data.object.charges_enabled]), [
      ['account.updated', id, true],
      ['account.updated', id, false],
      ['account.updated', id, true],
    ]);
  }),
);

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

test('without Connect options, Connect events follow the platform URL and secret; a Connect URL set later separates them', () =>
  withFixture(async (fixture) => {
    const standIn = await startStripeStandIn({ webhookSecret: WEBHOOK_SECRET, prices: PRICES });
    try {
      const stripe = new Stripe('sk_test_x', { ...standIn.sdkOptions, maxNetworkRetries: 0, telemetry: false });
      const { id } = await stripe.accounts.create({ type: 'express' });
      standIn.setWebhookUrl(`${fixture.receiverUrl}/webhooks/stripe`);
      await standIn.completeOnboarding(id);
      assert.equal(fixture.received.map((r) => [r.path, r.event.account]), [['/webhooks/stripe', id]]);
      standIn.setConnectWebhookUrl(`${fixture.receiverUrl}${CONNECT_WEBHOOK_PATH}`);
      await standIn.setChargesEnabled(id, false);
      // Signed with the platform secret, so the fixture's Connect endpoint refuses it.
      assert.equal(standIn.deliveries.map((d) => d.status), [200, 400]);
      const raw = JSON.stringify(standIn.events[1]);
      assert.is(verifier.webhooks.constructEvent(raw, standIn.connectSignatureFor(raw), WEBHOOK_SECRET).account, id);
    } finally {
      await standIn.close();
    }
  }),
);

test.run();
