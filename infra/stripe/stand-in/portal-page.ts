import type { IncomingMessage, ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import { decodeForm, formString } from './form-body';
import { actionButton, escapeHtml, formatAmount, formatDate, redirect, sendPage } from './html';
import { readBody } from './read-body';
import { onlyItem, type StandInStore } from './stand-in-store';

export type PortalPageDeps = {
  store: StandInStore;
  changePrice(subscriptionId: string, priceId: string): Promise<Stripe.Event[]>;
  cancel(subscriptionId: string, options: { atPeriodEnd: boolean }): Promise<Stripe.Event[]>;
  renew(subscriptionId: string): Promise<Stripe.Event[]>;
};

/**
 * GET /portal/:id lists the customer's subscriptions with what the real portal offers: switch to any
 * other price, cancel at period end (or undo that), cancel now, and a link back to return_url.
 * Each action is POST /portal/:id/subscriptions/:sub/<action> and redirects back here.
 */
export async function handlePortalPage(deps: PortalPageDeps, req: IncomingMessage, res: ServerResponse, parts: string[]): Promise<void> {
  const [portalId = '', collection, subscriptionId, action] = parts;
  const portal = deps.store.portalSessions.get(portalId);
  if (portal === undefined) return sendPage(res, 404, 'Portal session not found', `<p>No session ${escapeHtml(portalId)}.</p>`);
  const base = `/portal/${portal.id}`;

  if (req.method === 'GET' && collection === undefined) return sendPage(res, 200, 'Your subscriptions', renderPortal(deps.store, portal));
  if (req.method !== 'POST' || collection !== 'subscriptions' || subscriptionId === undefined) return sendPage(res, 404, 'Not found', '');
  const record = deps.store.subscriptions.get(subscriptionId);
  if (record === undefined || record.subscription.customer !== portal.customer) return sendPage(res, 404, 'Subscription not found', '');
  const form = decodeForm(await readBody(req));
  if (action === 'price') {
    const priceId = formString(form['price']) ?? '';
    if (!deps.store.catalog.has(priceId)) return sendPage(res, 400, 'Unknown price', '');
    await deps.changePrice(subscriptionId, priceId);
  } else if (action === 'cancel-at-period-end') {
    await deps.cancel(subscriptionId, { atPeriodEnd: true });
  } else if (action === 'cancel-now') {
    await deps.cancel(subscriptionId, { atPeriodEnd: false });
  } else if (action === 'renew') {
    await deps.renew(subscriptionId);
  } else {
    return sendPage(res, 404, 'Not found', '');
  }
  return redirect(res, base);
}

function renderPortal(store: StandInStore, portal: Stripe.BillingPortal.Session): string {
  const subscriptions = [...store.subscriptions.values()]
    .map((record) => record.subscription)
    .filter((subscription) => subscription.customer === portal.customer);
  const sections = subscriptions.map((subscription) => renderSubscription(store, portal.id, subscription));
  const back = portal.return_url === null ? '' : `<p><a href="${escapeHtml(portal.return_url)}">Return</a></p>`;
  return `${sections.join('') || '<p>No subscriptions.</p>'}${back}`;
}

function renderSubscription(store: StandInStore, portalId: string, subscription: Stripe.Subscription): string {
  const item = onlyItem(subscription);
  const entry = store.catalog.get(item.price.id);
  const name = entry?.product.name ?? item.price.id;
  const price = formatAmount(item.price.unit_amount ?? 0, item.price.currency);
  const interval = item.price.recurring?.interval ?? '';
  const heading = `<h2>${escapeHtml(name)}</h2><p>${escapeHtml(price)} per ${escapeHtml(interval)} · status ${escapeHtml(subscription.status)}</p>`;
  if (subscription.status === 'canceled') return `<section>${heading}<p>Ended ${formatDate(subscription.ended_at ?? 0)}.</p></section>`;

  const action = (name: string) => `/portal/${portalId}/subscriptions/${subscription.id}/${name}`;
  const switches = [...store.catalog.values()]
    .filter((other) => other.price.id !== item.price.id)
    .map((other) =>
      actionButton(action('price'), `Switch to ${other.product.name} (${formatAmount(other.input.unitAmount, other.input.currency)} / ${other.input.interval})`, {
        price: other.price.id,
      }),
    )
    .join('');
  const ending = subscription.cancel_at_period_end
    ? `<p>Cancels on ${formatDate(item.current_period_end)}.</p>${actionButton(action('renew'), 'Renew')}`
    : `<p>Renews on ${formatDate(item.current_period_end)}.</p>${actionButton(action('cancel-at-period-end'), 'Cancel at period end')}`;
  return `<section>${heading}${ending}${actionButton(action('cancel-now'), 'Cancel now')}<div>${switches}</div></section>`;
}
