import Stripe from 'stripe';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectReceived, eventOf, MEMBER_METADATA, memberSubscription, membershipPrice, onboardedAccount } from './connect-fixture';
import { paidSubscription, withFixture, type Fixture } from './stand-in-fixture';

const DAY = 24 * 60 * 60;
const PLANS = {
  reduced: { name: 'Reduced', unitAmount: 1000, interval: 'month' },
  regular: { name: 'Regular', unitAmount: 2000, interval: 'month' },
  premium: { name: 'Premium', unitAmount: 5000, interval: 'month' },
} as const;

type Member = { account: string; subscription: string; item: string; prices: Record<keyof typeof PLANS, string> };

/** A member on Regular since Jan 15 12:00 (period to Feb 15, 31 days), on an onboarded account. */
async function regularMember(fixture: Fixture): Promise<Member> {
  const account = await onboardedAccount(fixture, 'tenant-1');
  const prices = {
    reduced: (await membershipPrice(fixture, account, PLANS.reduced)).id,
    regular: (await membershipPrice(fixture, account, PLANS.regular)).id,
    premium: (await membershipPrice(fixture, account, PLANS.premium)).id,
  };
  const subscription = await memberSubscription(fixture, account, prices.regular);
  const read = await fixture.stripe.subscriptions.retrieve(subscription, {}, { stripeAccount: account });
  return { account, subscription, item: read.items.data[0]?.id ?? '', prices };
}

function switchTo(fixture: Fixture, member: Member, price: string, proration_behavior: Stripe.SubscriptionUpdateParams.ProrationBehavior) {
  return fixture.stripe.subscriptions.update(member.subscription, { items: [{ id: member.item, price }], proration_behavior }, { stripeAccount: member.account });
}

/** What reached the Connect endpoint after the member's checkout, every one stamped with the account. */
async function connectEventsSince(fixture: Fixture, member: Member, count: number): Promise<Stripe.Event[]> {
  await fixture.standIn.drain();
  const events = connectReceived(fixture).map((r) => r.event).slice(count);
  for (const event of events) assert.is(event.account, member.account);
  return events;
}

// Mid-period (16 of 31 days left): Regular's unused share is 2000 × 16/31 = 1032.26, Premium's remaining 5000 × 16/31 = 2580.65.
const UNUSED_REGULAR = -1032;
const REMAINING_PREMIUM = 2581;

test('an upgrade with create_prorations leaves two pending items, which the next renewal invoices', () =>
  withFixture(async (fixture) => {
    const member = await regularMember(fixture);
    fixture.clock.now += 15 * DAY;
    const updated = await switchTo(fixture, member, member.prices.premium, 'create_prorations');
    assert.is(updated.items.data[0]?.price.id, member.prices.premium);
    assert.is(updated.items.data[0]?.id, member.item);
    const events = await connectEventsSince(fixture, member, 4);
    assert.equal(events.map((e) => e.type), ['customer.subscription.updated']);
    assert.is(eventOf(events, 'customer.subscription.updated').data.previous_attributes?.items?.data[0]?.price.id, member.prices.regular);

    const customer = String(updated.customer);
    const pending = await fixture.stripe.invoiceItems.list({ customer, pending: true }, { stripeAccount: member.account });
    assert.equal(pending.data.map((item) => item.amount).sort((a, b) => a - b), [UNUSED_REGULAR, REMAINING_PREMIUM]);
    assert.ok(pending.data.every((item) => item.proration && item.invoice === null));

    fixture.clock.now += 16 * DAY;
    const renewal = eventOf(await fixture.standIn.payInvoice(member.subscription), 'invoice.paid').data.object;
    assert.is(renewal.amount_paid, 5000 + REMAINING_PREMIUM + UNUSED_REGULAR);
    assert.is(renewal.lines.data.length, 3);
    assert.equal(renewal.parent?.subscription_details?.metadata, MEMBER_METADATA);
    assert.is((await fixture.stripe.invoiceItems.list({ customer, pending: true }, { stripeAccount: member.account })).data.length, 0);
    assert.is((await fixture.stripe.invoiceItems.list({ customer, invoice: renewal.id }, { stripeAccount: member.account })).data.length, 2);
  }),
);

test('an upgrade with always_invoice invoices the proration at once and makes it the latest invoice', () =>
  withFixture(async (fixture) => {
    const member = await regularMember(fixture);
    fixture.clock.now += 15 * DAY;
    const updated = await switchTo(fixture, member, member.prices.premium, 'always_invoice');
    const events = await connectEventsSince(fixture, member, 4);
    assert.equal(events.map((e) => e.type), ['customer.subscription.updated', 'invoice.paid']);
    const invoice = eventOf(events, 'invoice.paid').data.object;
    assert.is(updated.latest_invoice, invoice.id);
    assert.is(invoice.billing_reason, 'subscription_update');
    assert.is(invoice.amount_paid, REMAINING_PREMIUM + UNUSED_REGULAR);
    assert.ok(invoice.lines.data.every((line) => line.parent?.invoice_item_details?.proration === true));
    assert.equal(invoice.parent?.subscription_details?.metadata, MEMBER_METADATA);
    assert.is((await fixture.stripe.invoices.retrieve(invoice.id, {}, { stripeAccount: member.account })).status, 'paid');

    fixture.clock.now += 16 * DAY;
    assert.is(eventOf(await fixture.standIn.payInvoice(member.subscription), 'invoice.paid').data.object.amount_paid, 5000);
  }),
);

test('a downgrade with none bills the new price from the next period; cancel at period end, then cancel now', () =>
  withFixture(async (fixture) => {
    const member = await regularMember(fixture);
    fixture.clock.now += 15 * DAY;
    const downgraded = await switchTo(fixture, member, member.prices.reduced, 'none');
    assert.is(downgraded.items.data[0]?.price.id, member.prices.reduced);
    const scheduled = await fixture.stripe.subscriptions.update(member.subscription, { cancel_at_period_end: true }, { stripeAccount: member.account });
    assert.is(scheduled.cancel_at, scheduled.items.data[0]?.current_period_end);
    const events = await connectEventsSince(fixture, member, 4);
    assert.equal(events.map((e) => e.type), ['customer.subscription.updated', 'customer.subscription.updated']);
    assert.is(events[1]?.type === 'customer.subscription.updated' ? events[1].data.previous_attributes?.cancel_at_period_end : undefined, false);
    assert.is((await fixture.stripe.invoiceItems.list({ customer: String(downgraded.customer) }, { stripeAccount: member.account })).data.length, 0);

    await fixture.stripe.subscriptions.update(member.subscription, { cancel_at_period_end: false }, { stripeAccount: member.account });
    fixture.clock.now += 16 * DAY;
    assert.is(eventOf(await fixture.standIn.payInvoice(member.subscription), 'invoice.paid').data.object.amount_paid, 1000);

    const canceled = await fixture.stripe.subscriptions.cancel(member.subscription, {}, { stripeAccount: member.account });
    assert.is(canceled.status, 'canceled');
    const after = await connectEventsSince(fixture, member, 4);
    assert.is(after.at(-1)?.type, 'customer.subscription.deleted');
    assert.is(eventOf(after, 'customer.subscription.deleted').data.object.metadata.memberId, 'member-1');
  }),
);

test('a connected renewal fails, leaving past_due, then is paid: Connect events throughout', () =>
  withFixture(async (fixture) => {
    const member = await regularMember(fixture);
    fixture.clock.now += 31 * DAY;
    const failed = await fixture.standIn.failPayment(member.subscription);
    assert.equal(failed.map((e) => e.type), ['invoice.payment_failed', 'customer.subscription.updated']);
    const invoice = eventOf(failed, 'invoice.payment_failed').data.object;
    assert.equal(invoice.parent?.subscription_details?.metadata, MEMBER_METADATA);
    assert.is(eventOf(failed, 'customer.subscription.updated').data.object.status, 'past_due');
    const paid = await fixture.standIn.payInvoice(member.subscription);
    assert.equal(paid.map((e) => e.type), ['invoice.paid', 'customer.subscription.updated']);
    assert.is(eventOf(paid, 'invoice.paid').data.object.id, invoice.id);
    assert.is(eventOf(paid, 'customer.subscription.updated').data.object.status, 'active');
    const events = await connectEventsSince(fixture, member, 4);
    assert.equal(events.map((e) => e.id), [...failed, ...paid].map((e) => e.id));
    const read = await fixture.stripe.subscriptions.retrieve(member.subscription, {}, { stripeAccount: member.account });
    assert.is(read.application_fee_percent, 2.5);
  }),
);

test('platform events keep their shape: no account key, the platform endpoint and secret', () =>
  withFixture(async (fixture) => {
    const subscription = await paidSubscription(fixture);
    await fixture.standIn.failPayment(subscription);
    assert.is(fixture.received.length, 5);
    for (const { raw, path, event } of fixture.received) {
      assert.is(path, '/webhooks/stripe');
      assert.not.ok('account' in event);
      assert.not.match(raw, /"account"/);
    }
    assert.is((await fixture.stripe.subscriptions.retrieve(subscription)).application_fee_percent, null);
  }),
);

test.run();
