import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Stripe from 'stripe';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { WebhookSignatureError } from '../infra/stripe/port';
import { createStripeBilling } from '../infra/stripe/stripe-billing';
import { startBillingHarness, type BillingHarness } from './billing-harness';
import { until } from './until';

const test = suite<{ h: BillingHarness }>('Connect onboarding: POST /v1/payments/connect, account.updated, payments on GET /v1/tenant');
test.before(async (context) => {
  context.h = await startBillingHarness();
});
test.after(async ({ h }) => h.close());

const urls = { returnUrl: 'https://example.org/back', refreshUrl: 'https://example.org/again' };

/** An `account.updated` as Stripe sends it to a Connect endpoint: `account` names the connected account. */
const accountUpdated = (accountId: string, chargesEnabled: boolean, created: number, id = `evt_${Math.random().toString(36).slice(2)}`) => ({
  id, object: 'event', type: 'account.updated', created, account: accountId, api_version: '2025-03-31.basil', livemode: false,
  pending_webhooks: 1, request: { id: null, idempotency_key: null },
  data: { object: { id: accountId, object: 'account', type: 'express', charges_enabled: chargesEnabled, details_submitted: chargesEnabled,
    payouts_enabled: chargesEnabled, metadata: {} } },
});

const paymentsOf = async (h: BillingHarness, owner: string) => (await h.query('/v1/tenant', owner)).body.payments;
const tenantEvents = async (h: BillingHarness, tenantId: string) =>
  (await h.platform.eventStore.readStream(tenantStreamId('tenant', tenantId))).map((e) => e.type);

test('the owner gets an onboarding link to the tenant’s one connected account; charges are enabled by account.updated', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Rowing Club');
  const other = await h.createTenant('Chess Club');
  const first = await h.command('POST', '/v1/payments/connect', owner, urls);
  assert.is(first.status, 201, first.text);
  assert.match(first.body.accountId, /^acct_/);
  assert.match(first.body.url, /^https?:\/\//);
  const again = await h.command('POST', '/v1/payments/connect', owner, urls);
  assert.is(again.status, 201, again.text);
  assert.is(again.body.accountId, first.body.accountId, 'a second request reuses the account');
  assert.is.not(again.body.url, first.body.url, 'with a fresh link');
  await until(async () => (await paymentsOf(h, owner))?.accountId === first.body.accountId, 'the account on GET /v1/tenant');
  assert.equal(await paymentsOf(h, owner), { accountId: first.body.accountId, chargesEnabled: false });
  assert.equal(await paymentsOf(h, other.owner), { accountId: null, chargesEnabled: false }, 'another tenant sees none of it');

  const now = Math.floor(Date.now() / 1000);
  assert.is((await h.deliver(accountUpdated(first.body.accountId, true, now))).status, 200);
  await until(async () => (await paymentsOf(h, owner)).chargesEnabled === true, 'charges enabled');
  // An older update arriving late, and a redelivery of the newest, change nothing.
  const newest = accountUpdated(first.body.accountId, true, now + 5, 'evt_newest');
  assert.is((await h.deliver(newest)).status, 200);
  assert.is((await h.deliver(accountUpdated(first.body.accountId, false, now - 60))).status, 200);
  const before = await tenantEvents(h, tenantId);
  assert.is((await h.deliver(newest)).status, 200);
  assert.equal(await tenantEvents(h, tenantId), before, 'the redelivery appended nothing');
  assert.equal(await paymentsOf(h, owner), { accountId: first.body.accountId, chargesEnabled: true });
  assert.equal(before.filter((type) => type.startsWith('TenantPayments')),
    ['TenantPaymentsAccountOpened', 'TenantPaymentsAccountUpdated', 'TenantPaymentsAccountUpdated']);
});

test('only the owner connects, with absolute return URLs', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Sailing Club');
  const admin = await h.token(tenantId, ['admin']);
  assert.is((await h.command('POST', '/v1/payments/connect', admin, urls)).status, 403);
  const bad = await h.command('POST', '/v1/payments/connect', owner, { returnUrl: 'javascript:alert(1)', refreshUrl: '/relative' });
  assert.is(bad.status, 400);
  assert.equal(bad.body.errors.map((e: { path: string }) => e.path).sort(), ['refreshUrl', 'returnUrl']);
  assert.equal(await tenantEvents(h, tenantId), ['TenantCreated'], 'refusals open no account');
});

test('a Connect event about an account no tenant opened, or with another tenant in its metadata, changes nothing', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Tennis Club');
  const now = Math.floor(Date.now() / 1000);
  const stranger = { ...accountUpdated('acct_nobody', true, now), data: { object: { ...accountUpdated('acct_nobody', true, now).data.object, metadata: { tenantId } } } };
  assert.equal(await h.deliver(stranger), { status: 200, body: { received: true } });
  const metrics = await h.platform.commandApi.inject({ method: 'GET', url: '/metrics' });
  assert.match(metrics.body, /stripe_webhook_deliveries_total\{type="account.updated",outcome="unknown-account"\} 1/);
  // A member checkout completed on some connected account, naming this tenant: not the tenant's own billing.
  const connectCheckout = {
    id: 'evt_connect_checkout', object: 'event', type: 'checkout.session.completed', created: now, account: 'acct_nobody',
    data: { object: { id: 'cs_x', object: 'checkout.session', mode: 'subscription', customer: 'cus_member', subscription: 'sub_member',
      metadata: { tenantId }, client_reference_id: tenantId } },
  };
  assert.is((await h.deliver(connectCheckout)).status, 200);
  assert.equal(await tenantEvents(h, tenantId), ['TenantCreated']);
  await until(async () => (await h.query('/v1/tenant', owner)).status === 200, 'the tenant projected');
  assert.equal((await h.query('/v1/tenant', owner)).body.billing, { status: 'active', plan: 'pro', interval: null,
    currentPeriodEnd: null, cancelAtPeriodEnd: false, graceEndsAt: null }, 'the tenant’s own billing is untouched');
});

test('with a Connect secret of its own, each endpoint’s secret verifies only its own kind of event', () => {
  const billing = createStripeBilling({ secretKey: 'sk_test_x', webhookSecret: 'whsec_platform', connectWebhookSecret: 'whsec_connect' });
  const signed = (event: object, secret: string) => {
    const payload = JSON.stringify(event);
    return [Buffer.from(payload), Stripe.webhooks.generateTestHeaderString({ payload, secret })] as const;
  };
  const now = Math.floor(Date.now() / 1000);
  const connect = accountUpdated('acct_1', true, now);
  const own = { ...accountUpdated('acct_1', true, now), account: undefined, type: 'customer.created' };
  assert.is(billing.verifyWebhook(...signed(connect, 'whsec_connect')).kind, 'payments-account');
  assert.is(billing.verifyWebhook(...signed(own, 'whsec_platform')).kind, 'ignored');
  assert.throws(() => billing.verifyWebhook(...signed(connect, 'whsec_platform')), (error: unknown) => error instanceof WebhookSignatureError);
  assert.throws(() => billing.verifyWebhook(...signed(own, 'whsec_connect')), (error: unknown) => error instanceof WebhookSignatureError);
  assert.throws(() => billing.verifyWebhook(...signed(connect, 'whsec_other')), (error: unknown) => error instanceof WebhookSignatureError);
});

test.run();
