import Stripe from 'stripe';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSession, withFixture } from './stand-in-fixture';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function assertInvalidRequest(error: unknown, param: string, code: string | undefined, statusCode = 400): void {
  assert.instance(error, Stripe.errors.StripeInvalidRequestError);
  const stripeError = error as Stripe.errors.StripeInvalidRequestError;
  assert.is(stripeError.param, param);
  assert.is(stripeError.code, code);
  assert.is(stripeError.statusCode, statusCode);
}

test('a checkout session is created and read back through the real SDK', () =>
  withFixture(async ({ stripe, standIn, clock, sdkTargets }) => {
    const session = await createSession({ stripe });
    assert.match(session.id, /^cs_test_[A-Za-z0-9]{58}$/);
    assert.is(session.status, 'open');
    assert.is(session.payment_status, 'unpaid');
    assert.is(session.mode, 'subscription');
    assert.is(session.url, `${standIn.url}/checkout/${session.id}`);
    assert.is(session.expires_at, clock.now + 24 * 60 * 60);
    assert.equal(session.metadata, { tenantId: 'tenant-1' });
    assert.is(session.client_reference_id, 'tenant-1');
    assert.is(session.amount_total, 1500);

    const read = await stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    assert.is(read.id, session.id);
    assert.is(read.line_items?.data[0]?.price?.id, 'price_basic_monthly');
    assert.is(read.line_items?.data[0]?.quantity, 1);
    assert.ok(sdkTargets.length >= 2);
    assert.ok(sdkTargets.every((target) => target === `127.0.0.1:${standIn.sdkOptions.port}`), sdkTargets.join());
  }),
);

test('bad parameters come back as StripeInvalidRequestError with Stripe param and code', () =>
  withFixture(async (fixture) => {
    const badPrice = await rejection(createSession(fixture, { line_items: [{ price: 'price_nope', quantity: 1 }] }));
    assertInvalidRequest(badPrice, 'line_items[0][price]', 'resource_missing');
    assert.is((badPrice as Error).message, "No such price: 'price_nope'");

    const noSuccessUrl = await rejection(createSession(fixture, { success_url: undefined }));
    assertInvalidRequest(noSuccessUrl, 'success_url', 'parameter_missing');

    const noCustomer = await rejection(createSession(fixture, { customer: 'cus_missing', customer_email: undefined }));
    assertInvalidRequest(noCustomer, 'customer', 'resource_missing');

    const unknownSession = await rejection(fixture.stripe.checkout.sessions.retrieve('cs_test_unknown'));
    assertInvalidRequest(unknownSession, 'session', 'resource_missing', 404);
  }),
);

test('auth and unknown routes answer with Stripe error bodies', () =>
  withFixture(async ({ standIn }) => {
    const anonymous = await fetch(`${standIn.url}/v1/customers/cus_x`);
    assert.is(anonymous.status, 401);
    const anonymousBody = (await anonymous.json()) as { error: { type: string; message: string } };
    assert.is(anonymousBody.error.type, 'invalid_request_error');
    assert.match(anonymousBody.error.message, /did not provide an API key/);

    const wrongKey = new Stripe('pk_test_nope', { ...standIn.sdkOptions, maxNetworkRetries: 0 });
    assert.instance(await rejection(wrongKey.customers.retrieve('cus_x')), Stripe.errors.StripeAuthenticationError);

    const unknown = await fetch(`${standIn.url}/v1/charges`, { headers: { authorization: 'Bearer sk_test_x' } });
    assert.is(unknown.status, 404);
    assert.match(((await unknown.json()) as { error: { message: string } }).error.message, /Unrecognized request URL \(GET: \/v1\/charges\)/);
  }),
);

test('paying on the checkout page redirects with 303 and delivers the three signed events in order', () =>
  withFixture(async ({ stripe, standIn, received }) => {
    const session = await createSession({ stripe });
    const page = await fetch(session.url ?? '');
    assert.match(await page.text(), /Basic[\s\S]*15\.00 EUR[\s\S]*per month/);

    const paid = await fetch(`${standIn.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' });
    assert.is(paid.status, 303);
    assert.is(paid.headers.get('location'), `http://app.test/billing/done?session=${session.id}`);

    assert.equal(received.map((r) => r.event.type), ['checkout.session.completed', 'customer.subscription.created', 'invoice.paid']);
    assert.ok(received.every((r) => r.raw.includes('\n') && r.header.startsWith('t=')));
    const [completed, created, invoicePaid] = received.map((r) => r.event);
    if (completed?.type !== 'checkout.session.completed' || created?.type !== 'customer.subscription.created' || invoicePaid?.type !== 'invoice.paid') {
      throw new Error('unexpected event types');
    }
    assert.equal(completed.data.object.metadata, { tenantId: 'tenant-1' });
    assert.is(completed.data.object.status, 'complete');
    assert.is(completed.data.object.payment_status, 'paid');
    const subscriptionId = String(completed.data.object.subscription);
    assert.is(created.data.object.id, subscriptionId);
    assert.equal(created.data.object.metadata, { tenantId: 'tenant-1', planId: 'basic' });
    assert.is(invoicePaid.data.object.parent?.subscription_details?.subscription, subscriptionId);
    assert.equal(invoicePaid.data.object.metadata, { tenantId: 'tenant-1', planId: 'basic' });
    assert.is(invoicePaid.data.object.status, 'paid');
    assert.is(invoicePaid.data.object.billing_reason, 'subscription_create');
    for (const event of [completed, created, invoicePaid]) {
      assert.is(event.api_version, Stripe.API_VERSION);
      assert.is(event.pending_webhooks, 1);
      assert.equal(event.request, { id: null, idempotency_key: null });
    }

    const read = await stripe.checkout.sessions.retrieve(session.id);
    assert.is(read.status, 'complete');
    const customer = await stripe.customers.retrieve(String(read.customer));
    assert.ok(!customer.deleted);
    if (!customer.deleted) {
      assert.is(customer.email, 'owner@tenant-1.test');
      assert.equal(customer.metadata, { tenantId: 'tenant-1' });
    }
    const subscription = await stripe.subscriptions.retrieve(subscriptionId);
    assert.is(subscription.status, 'active');
    assert.is(subscription.cancel_at_period_end, false);
    const item = subscription.items.data[0];
    assert.is(item?.current_period_start, Date.UTC(2026, 0, 15, 12) / 1000);
    assert.is(item?.current_period_end, Date.UTC(2026, 1, 15, 12) / 1000);
    assert.equal(standIn.deliveries.map((d) => d.status), [200, 200, 200]);

    const again = await fetch(`${standIn.url}/checkout/${session.id}`);
    assert.is(again.status, 410);
  }),
);

test('declining redirects to cancel_url and sends nothing', () =>
  withFixture(async (fixture) => {
    const session = await createSession(fixture);
    const declined = await fetch(`${fixture.standIn.url}/checkout/${session.id}/decline`, { method: 'POST', redirect: 'manual' });
    assert.is(declined.status, 303);
    assert.is(declined.headers.get('location'), 'http://app.test/billing/cancelled');
    assert.is(fixture.standIn.events.length, 0);
    assert.is((await fixture.stripe.checkout.sessions.retrieve(session.id)).status, 'open');
  }),
);

test('a portal session opens for a known customer and is refused for an unknown one', () =>
  withFixture(async (fixture) => {
    const session = await createSession(fixture);
    await fixture.standIn.completeCheckout(session.id);
    const customer = String((await fixture.stripe.checkout.sessions.retrieve(session.id)).customer);

    const portal = await fixture.stripe.billingPortal.sessions.create({ customer, return_url: 'http://app.test/billing' });
    assert.match(portal.id, /^bps_/);
    assert.is(portal.url, `${fixture.standIn.url}/portal/${portal.id}`);
    const page = await (await fetch(portal.url)).text();
    assert.match(page, /Basic/);
    assert.match(page, /Switch to Pro/);
    assert.match(page, /href="http:\/\/app\.test\/billing"/);

    const unknown = await rejection(fixture.stripe.billingPortal.sessions.create({ customer: 'cus_nobody' }));
    assertInvalidRequest(unknown, 'customer', 'resource_missing');
  }),
);

test('meter events are accepted, and a reused identifier is refused as Stripe refuses it', () =>
  withFixture(async ({ stripe, standIn, clock }) => {
    const params = {
      event_name: 'api_requests',
      payload: { stripe_customer_id: 'cus_any', value: '42' },
      identifier: 'tenant-1:2026-01-15T12',
      timestamp: clock.now - 60,
    };
    const accepted = await stripe.billing.meterEvents.create(params);
    assert.is(accepted.object, 'billing.meter_event');
    assert.is(accepted.identifier, params.identifier);
    assert.equal(accepted.payload, params.payload);
    assert.is(accepted.timestamp, clock.now - 60);
    assert.is(standIn.meterEvents.length, 1);

    // A network retry carries the same Idempotency-Key: Stripe replays the first answer, once.
    const first = await stripe.billing.meterEvents.create({ ...params, identifier: 'retry-me' }, { idempotencyKey: 'key-1' });
    const replay = await stripe.billing.meterEvents.create({ ...params, identifier: 'retry-me' }, { idempotencyKey: 'key-1' });
    assert.equal(replay, first);
    assert.is(standIn.meterEvents.length, 2);

    // A new request reusing the identifier: HTTP 400 invalid_request_error, Stripe's message, no code.
    const duplicate = await rejection(stripe.billing.meterEvents.create(params));
    assert.instance(duplicate, Stripe.errors.StripeInvalidRequestError);
    const stripeError = duplicate as Stripe.errors.StripeInvalidRequestError;
    assert.is(stripeError.statusCode, 400);
    assert.is(stripeError.code, undefined);
    assert.is(stripeError.message, `An event already exists with identifier ${params.identifier}.`);
    assert.is(standIn.meterEvents.length, 2);

    // The uniqueness window rolls after 24 hours.
    clock.now += 24 * 60 * 60 + 1;
    assert.is((await stripe.billing.meterEvents.create(params)).identifier, params.identifier);

    const badValue = await rejection(stripe.billing.meterEvents.create({ ...params, identifier: 'x', payload: { stripe_customer_id: 'cus_any', value: '1.5' } }));
    assertInvalidRequest(badValue, 'payload[value]', 'parameter_invalid_integer');
  }),
);

test.run();
