import Stripe from 'stripe';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertStripeError, connectedAccount, connectReceived, eventOf, rejection } from './connect-fixture';
import { CONNECT_WEBHOOK_PATH, CONNECT_WEBHOOK_SECRET, PRICES, WEBHOOK_SECRET, withFixture } from './stand-in-fixture';
import { startStripeStandIn } from './stand-in-server';

const verifier = new Stripe('sk_test_verifier');

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
