import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startBillingHarness, subscriptionOf, graceSeconds, type BillingHarness } from './billing-harness';
import { until } from './until';

const test = suite<{ h: BillingHarness }>('billing: checkout, dunning, portal changes, through the stand-in');
test.before(async (context) => {
  context.h = await startBillingHarness();
});
test.after(async ({ h }) => h.close());

const deliverAll = async (h: BillingHarness, events: { id: string }[]) => {
  for (const event of events) assert.equal((await h.deliver(event)).status, 200);
};
const tenantView = async (h: BillingHarness, owner: string, status: string) => {
  let last: any;
  await until(async () => {
    last = (await h.query('/v1/tenant', owner)).body;
    return last.billing.status === status;
  }, `tenant ${status}`, 5000).catch(() => assert.unreachable(`tenant never ${status}: ${JSON.stringify(last)}`));
  return last;
};

test('pressing Pay on the stand-in checkout page activates the plan through signed webhooks', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Paying Club', 'free');
  const address = await h.platform.commandApi.listen({ host: '127.0.0.1', port: 0 });
  h.standIn.setWebhookUrl(`${address}/v1/webhooks/stripe`);
  const reply = await h.command('POST', '/v1/billing/checkout', owner,
    { plan: 'pro', interval: 'year', successUrl: 'https://example.org/welcome', cancelUrl: 'https://example.org/back' });
  assert.is(reply.status, 201, reply.text);
  assert.ok(reply.body.url.startsWith(h.standIn.url), reply.body.url);
  const paid = await fetch(`${reply.body.url}/pay`, { method: 'POST', redirect: 'manual' });
  assert.is(paid.status, 303);
  assert.is(paid.headers.get('location'), 'https://example.org/welcome');
  const tenant = await tenantView(h, owner, 'active');
  assert.is(tenant.plan, 'pro');
  assert.is(tenant.billing.interval, 'year');
  assert.type(tenant.billing.currentPeriodEnd, 'string');
  assert.is(tenant.limits.members, 10_000);
  const { rows } = await h.platform.writePool.query(
    'SELECT type, outcome FROM stripe_webhook_deliveries WHERE tenant_id = $1 ORDER BY type', [tenantId]);
  assert.equal(rows, [
    { type: 'checkout.session.completed', outcome: 'applied' },
    { type: 'customer.subscription.created', outcome: 'applied' },
    { type: 'invoice.paid', outcome: 'applied' },
  ]);
  const again = await h.command('POST', '/v1/billing/checkout', owner,
    { plan: 'enterprise', interval: 'year', successUrl: 'https://example.org/a', cancelUrl: 'https://example.org/b' });
  assert.is(again.body.code, 'subscription-exists');
  const portal = await h.command('POST', '/v1/billing/portal', owner, { returnUrl: 'https://example.org/settings' });
  assert.is(portal.status, 201, portal.text);
  assert.ok(portal.body.url.startsWith(h.standIn.url));
  h.standIn.setWebhookUrl('http://127.0.0.1:9/unused');
});

test('dunning: past due with a grace period, suspended by the scheduler once it passes unpaid, restored on payment', async ({ h }) => {
  const { owner } = await h.createTenant('Late Club', 'free');
  const paid = await h.standIn.completeCheckout(await h.checkout(owner));
  await deliverAll(h, paid);
  const subscription = subscriptionOf(paid);
  h.clock.now += 30 * 86400;
  const failed = await h.standIn.failPayment(subscription);
  await deliverAll(h, failed);
  const pastDue = await tenantView(h, owner, 'past_due');
  assert.is(pastDue.billing.graceEndsAt, new Date((h.clock.now + graceSeconds) * 1000).toISOString());
  assert.is((await h.command('POST', '/v1/members', owner, { email: 'a@example.org', firstName: 'A', lastName: 'B' })).status, 201,
    'a tenant past due still writes');
  const graceEnds = h.clock.now + graceSeconds;
  h.clock.now = graceEnds - 60; // Stripe's clock and the scheduler's move together
  await h.platform.scheduler.runOnce(new Date(h.clock.now * 1000));
  assert.is((await h.query('/v1/tenant', owner)).body.billing.status, 'past_due', 'not before the grace period ends');
  h.clock.now = graceEnds;
  await h.platform.scheduler.runOnce(new Date(h.clock.now * 1000));
  await tenantView(h, owner, 'suspended');
  await new Promise((resolve) => setTimeout(resolve, 1100)); // the command API's tenant cache
  const refused = await h.command('POST', '/v1/members', owner, { email: 'b@example.org', firstName: 'B', lastName: 'C' });
  assert.is(refused.status, 402);
  assert.is(refused.body.code, 'tenant-suspended');
  assert.is((await h.query('/v1/members', owner)).status, 200, 'reads still served');
  assert.is((await h.command('POST', '/v1/billing/portal', owner, { returnUrl: 'https://example.org/pay' })).status, 201);
  h.clock.now += 86400;
  await deliverAll(h, await h.standIn.payInvoice(subscription));
  await tenantView(h, owner, 'active');
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.is((await h.command('POST', '/v1/members', owner, { email: 'b@example.org', firstName: 'B', lastName: 'C' })).status, 201);
});

test('plan changes from the portal change plan and limits; a deleted subscription returns the tenant to free', async ({ h }) => {
  const { owner } = await h.createTenant('Growing Club', 'free');
  const paid = await h.standIn.completeCheckout(await h.checkout(owner));
  await deliverAll(h, paid);
  const subscription = subscriptionOf(paid);
  h.clock.now += 86400;
  await deliverAll(h, await h.standIn.changePrice(subscription, 'price_enterprise_month'));
  await until(async () => (await h.query('/v1/tenant', owner)).body.plan === 'enterprise', 'plan enterprise', 5000);
  assert.is((await h.query('/v1/tenant', owner)).body.limits.members, null);
  h.clock.now += 86400;
  const deleted = await h.standIn.cancel(subscription, { atPeriodEnd: false });
  await deliverAll(h, deleted);
  const canceled = await tenantView(h, owner, 'canceled');
  assert.is(canceled.plan, 'free');
  assert.is(canceled.limits.members, 250);
  await deliverAll(h, paid); // an older event of the deleted subscription, delivered again, revives nothing
  assert.is((await h.query('/v1/tenant', owner)).body.billing.status, 'canceled');
});

test('checkout and portal: owners only, fields validated, no portal before a Stripe customer', async ({ h }) => {
  const { tenantId, owner } = await h.createTenant('Picky Club', 'free');
  const admin = await h.token(tenantId, ['admin']);
  const body = { plan: 'pro', interval: 'month', successUrl: 'https://example.org/ok', cancelUrl: 'https://example.org/no' };
  assert.is((await h.command('POST', '/v1/billing/checkout', admin, body)).status, 403);
  assert.is((await h.command('POST', '/v1/billing/portal', admin, { returnUrl: 'https://example.org' })).status, 403);
  const badUrl = await h.command('POST', '/v1/billing/checkout', owner, { ...body, successUrl: 'javascript:alert(1)' });
  assert.is(badUrl.status, 400);
  assert.ok(badUrl.body.errors.some((e: { path: string }) => e.path === 'successUrl'));
  const badPlan = await h.command('POST', '/v1/billing/checkout', owner, { ...body, plan: 'free' });
  assert.ok(badPlan.status === 400 && badPlan.body.errors.some((e: { path: string }) => e.path === 'plan'));
  const noAccount = await h.command('POST', '/v1/billing/portal', owner, { returnUrl: 'https://example.org' });
  assert.is(noAccount.status, 409);
  assert.is(noAccount.body.code, 'no-billing-account');
});

test.run();
