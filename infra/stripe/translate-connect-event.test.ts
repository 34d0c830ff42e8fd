import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type Stripe from 'stripe';
import { translateStripeEvent } from './translate-event';

const checkoutCompleted = (paymentStatus: string, account?: string) => ({
  id: 'evt_1', object: 'event', type: 'checkout.session.completed', created: 1_767_225_600, ...(account ? { account } : {}),
  data: { object: { id: 'cs_1', object: 'checkout.session', mode: 'subscription', customer: 'cus_1', subscription: 'sub_1',
    payment_status: paymentStatus, metadata: { tenantId: 't', memberId: 'm', membershipTypeId: 'x', interval: 'month' } } },
}) as unknown as Stripe.Event;

test('a member checkout on a connected account starts dues once paid; one paid later waits for the subscription’s events', () => {
  assert.is(translateStripeEvent(checkoutCompleted('paid', 'acct_1')).kind, 'member-checkout');
  assert.is(translateStripeEvent(checkoutCompleted('no_payment_required', 'acct_1')).kind, 'member-checkout');
  assert.is(translateStripeEvent(checkoutCompleted('unpaid', 'acct_1')).kind, 'ignored');
});

test('the same checkout without `account` is the tenant’s own billing, never dues', () => {
  assert.is(translateStripeEvent(checkoutCompleted('paid')).kind, 'checkout-completed');
});

test.run();
