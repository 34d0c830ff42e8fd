import Stripe from 'stripe';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { paidSubscription, WEBHOOK_SECRET, withFixture, type Fixture } from './stand-in-fixture';

const DAY = 24 * 60 * 60;

function types(events: Stripe.Event[]): string[] {
  return events.map((event) => event.type);
}

function updated(events: Stripe.Event[]): Stripe.CustomerSubscriptionUpdatedEvent {
  const event = events.find((candidate) => candidate.type === 'customer.subscription.updated');
  if (event?.type !== 'customer.subscription.updated') throw new Error('no customer.subscription.updated');
  return event;
}

async function item(fixture: Fixture, subscriptionId: string): Promise<Stripe.SubscriptionItem> {
  const found = (await fixture.stripe.subscriptions.retrieve(subscriptionId)).items.data[0];
  if (found === undefined) throw new Error('no item');
  return found;
}

test('a failed renewal leaves the subscription past_due in the new period; paying it makes it active again', () =>
  withFixture(async (fixture) => {
    const id = await paidSubscription(fixture);
    fixture.clock.now += 31 * DAY;

    const failed = await fixture.standIn.failPayment(id);
    assert.equal(types(failed), ['invoice.payment_failed', 'customer.subscription.updated']);
    const failedInvoice = failed[0]?.type === 'invoice.payment_failed' ? failed[0].data.object : undefined;
    assert.is(failedInvoice?.status, 'open');
    assert.is(failedInvoice?.attempt_count, 1);
    assert.is(failedInvoice?.billing_reason, 'subscription_cycle');
    assert.is(failedInvoice?.parent?.subscription_details?.subscription, id);
    assert.is(updated(failed).data.object.status, 'past_due');
    assert.is(updated(failed).data.previous_attributes?.status, 'active');
    assert.is((await fixture.stripe.subscriptions.retrieve(id)).status, 'past_due');
    assert.is((await item(fixture, id)).current_period_start, Date.UTC(2026, 1, 15, 12) / 1000);
    assert.is((await item(fixture, id)).current_period_end, Date.UTC(2026, 2, 15, 12) / 1000);

    const paid = await fixture.standIn.payInvoice(id);
    assert.equal(types(paid), ['invoice.paid', 'customer.subscription.updated']);
    assert.is(paid[0]?.type === 'invoice.paid' ? paid[0].data.object.id : undefined, failedInvoice?.id);
    assert.is(updated(paid).data.object.status, 'active');
    assert.is((await item(fixture, id)).current_period_end, Date.UTC(2026, 2, 15, 12) / 1000);
    assert.equal(types(fixture.received.map((r) => r.event)).slice(3), [...types(failed), ...types(paid)]);
  }),
);

test('a paid renewal moves the item to the next period, clamped to the month end', () =>
  withFixture(async (fixture) => {
    const id = await paidSubscription(fixture);
    assert.is((await item(fixture, id)).current_period_end, Date.UTC(2026, 1, 28, 9) / 1000);

    const first = await fixture.standIn.payInvoice(id);
    assert.equal(types(first), ['invoice.paid', 'customer.subscription.updated']);
    const previousItems = updated(first).data.previous_attributes?.items?.data;
    assert.is(previousItems?.[0]?.current_period_end, Date.UTC(2026, 1, 28, 9) / 1000);
    assert.is((await item(fixture, id)).current_period_end, Date.UTC(2026, 2, 31, 9) / 1000);
    await fixture.standIn.payInvoice(id);
    assert.is((await item(fixture, id)).current_period_end, Date.UTC(2026, 3, 30, 9) / 1000);
  }, Date.UTC(2026, 0, 31, 9) / 1000),
);

test('changing the price keeps the item and reports the old one in previous_attributes', () =>
  withFixture(async (fixture) => {
    const id = await paidSubscription(fixture);
    const before = await item(fixture, id);
    const events = await fixture.standIn.changePrice(id, 'price_pro_monthly');
    assert.equal(types(events), ['customer.subscription.updated']);
    assert.is(updated(events).data.previous_attributes?.items?.data[0]?.price.id, 'price_basic_monthly');
    const after = await item(fixture, id);
    assert.is(after.id, before.id);
    assert.is(after.price.id, 'price_pro_monthly');
    assert.is(after.current_period_end, before.current_period_end);
    assert.equal(await fixture.standIn.changePrice(id, 'price_pro_monthly'), []);
  }),
);

test('the SDK update and delete calls answer first and then deliver their events', () =>
  withFixture(async (fixture) => {
    const id = await paidSubscription(fixture);
    const itemId = (await item(fixture, id)).id;
    const switched = await fixture.stripe.subscriptions.update(id, {
      items: [{ id: itemId, price: 'price_pro_yearly' }],
      cancel_at_period_end: true,
      metadata: { planId: 'pro' },
      proration_behavior: 'create_prorations',
    });
    assert.is(switched.items.data[0]?.price.id, 'price_pro_yearly');
    assert.is(switched.cancel_at_period_end, true);
    assert.is(switched.cancel_at, switched.items.data[0]?.current_period_end);
    assert.equal(switched.metadata, { tenantId: 'tenant-1', planId: 'pro' });
    // Month → year resets the billing cycle to now and invoices the new price at once.
    assert.is(switched.billing_cycle_anchor, fixture.clock.now);
    assert.is(switched.items.data[0]?.current_period_end, Date.UTC(2027, 0, 15, 12) / 1000);
    await fixture.standIn.drain();
    assert.equal(types(fixture.received.slice(-2).map((r) => r.event)), ['customer.subscription.updated', 'invoice.paid']);
    const event = fixture.received.at(-2)?.event;
    if (event?.type === 'customer.subscription.updated') {
      assert.is(event.data.previous_attributes?.cancel_at_period_end, false);
      // Nested hashes list only the keys that changed, as Stripe does.
      assert.equal(event.data.previous_attributes?.metadata, { planId: 'basic' });
    }

    const badItem = await fixture.stripe.subscriptions.update(id, { items: [{ id: 'si_nope', price: 'price_pro_monthly' }] }).catch((e: unknown) => e);
    assert.instance(badItem, Stripe.errors.StripeInvalidRequestError);
    assert.is((badItem as Stripe.errors.StripeInvalidRequestError).param, 'items[0][id]');

    const canceled = await fixture.stripe.subscriptions.cancel(id);
    assert.is(canceled.status, 'canceled');
    await fixture.standIn.drain();
    assert.is(fixture.received.at(-1)?.event.type, 'customer.subscription.deleted');
    const missing = await fixture.stripe.subscriptions.retrieve('sub_nope').catch((e: unknown) => e);
    assert.is((missing as Stripe.errors.StripeInvalidRequestError).statusCode, 404);
  }),
);

test('cancel at period end, cancel now, set status and a renewal of a cancelling subscription', () =>
  withFixture(async (fixture) => {
    const id = await paidSubscription(fixture);
    const scheduled = await fixture.standIn.cancel(id, { atPeriodEnd: true });
    assert.equal(types(scheduled), ['customer.subscription.updated']);
    assert.is(updated(scheduled).data.object.cancel_at_period_end, true);
    assert.is(updated(scheduled).data.object.cancellation_details?.reason, 'cancellation_requested');
    const ended = await fixture.standIn.payInvoice(id);
    assert.equal(types(ended), ['customer.subscription.deleted']);
    assert.is((await fixture.stripe.subscriptions.retrieve(id)).status, 'canceled');

    const other = await paidSubscription(fixture);
    const unpaid = await fixture.standIn.setStatus(other, 'unpaid');
    assert.is(updated(unpaid).data.object.status, 'unpaid');
    assert.is(updated(unpaid).data.previous_attributes?.status, 'active');
    const gone = await fixture.standIn.cancel(other, { atPeriodEnd: false });
    assert.equal(types(gone), ['customer.subscription.deleted']);
    assert.is(gone[0]?.type === 'customer.subscription.deleted' ? gone[0].data.object.status : undefined, 'canceled');
  }),
);

test('the portal page switches price and cancels through POST + 303', () =>
  withFixture(async (fixture) => {
    const id = await paidSubscription(fixture);
    const sub = await fixture.stripe.subscriptions.retrieve(id);
    const portal = await fixture.stripe.billingPortal.sessions.create({ customer: String(sub.customer) });
    const post = (action: string, body = '') =>
      fetch(`${portal.url}/subscriptions/${id}/${action}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    const switched = await post('price', 'price=price_pro_monthly');
    assert.is(switched.status, 303);
    assert.is(switched.headers.get('location'), `/portal/${portal.id}`);
    assert.is((await item(fixture, id)).price.id, 'price_pro_monthly');
    assert.is((await post('cancel-at-period-end')).status, 303);
    assert.match(await (await fetch(portal.url)).text(), /Cancels on/);
    assert.is((await post('cancel-now')).status, 303);
    assert.equal(types(fixture.received.map((r) => r.event)).slice(3), [
      'customer.subscription.updated',
      'customer.subscription.updated',
      'customer.subscription.deleted',
    ]);
  }),
);

test('signatures verify only with the right secret; deliver replays, and failures are recorded, not thrown', () =>
  withFixture(async (fixture) => {
    await paidSubscription(fixture);
    const verifier = new Stripe('sk_test_verifier');
    const { raw, header, event } = fixture.received[0] ?? { raw: '', header: '', event: undefined };
    assert.throws(() => verifier.webhooks.constructEvent(raw, header, 'whsec_wrong'), (e: unknown) => e instanceof Stripe.errors.StripeSignatureVerificationError);
    assert.is(verifier.webhooks.constructEvent(raw, fixture.standIn.signatureFor(raw), WEBHOOK_SECRET).id, event?.id);

    const created = fixture.standIn.events.map((e) => e.created);
    assert.equal(created, [...created].sort((a, b) => a - b));
    assert.is(new Set(fixture.standIn.events.map((e) => e.id)).size, fixture.standIn.events.length);

    const first = fixture.standIn.events[0];
    if (first === undefined) throw new Error('no events');
    assert.equal(await fixture.standIn.deliver(first), { status: 200 });
    assert.is(fixture.received.at(-1)?.event.id, first.id);

    fixture.setReceiverStatus(500);
    assert.equal(await fixture.standIn.deliver(first), { status: 500 });
    fixture.standIn.setWebhookUrl('http://127.0.0.1:9/unreachable');
    assert.equal(await fixture.standIn.deliver(first), { status: 'failed' });
    assert.equal(fixture.standIn.deliveries.slice(-3).map((d) => d.status), [200, 500, 'failed']);
  }),
);

test.run();
