import type { ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import { currentSession } from './checkout-completion';
import { actionButton, escapeHtml, formatAmount, redirect, sendPage } from './html';
import type { StandInStore } from './stand-in-store';

export type CheckoutPageDeps = {
  /** The store of the account (platform or connected) that holds this session. */
  sessionStore(sessionId: string): StandInStore;
  now: () => number;
  completeCheckout(sessionId: string): Promise<Stripe.Event[]>;
};

/**
 * GET /checkout/:id shows what is bought; POST …/pay completes it exactly like `completeCheckout`
 * and then sends the buyer to success_url. The redirect waits for the webhooks, which makes tests
 * deterministic; real Stripe may redirect first, so a success page must not assume the webhook arrived.
 */
export async function handleCheckoutPage(deps: CheckoutPageDeps, res: ServerResponse, method: string, parts: string[]): Promise<void> {
  const [sessionId = '', action] = parts;
  const store = deps.sessionStore(sessionId);
  const record = currentSession(store, sessionId, deps.now());
  if (record === undefined) return sendPage(res, 404, 'Checkout session not found', `<p>No session ${escapeHtml(sessionId)}.</p>`);
  const { session, extras } = record;
  const entry = store.catalog.get(extras.priceId);
  if (entry === undefined) return sendPage(res, 500, 'Unknown price', '');

  if (method === 'GET' && action === undefined) {
    if (session.status !== 'open') {
      return sendPage(res, 410, 'This checkout session is no longer open', `<p>Status: ${escapeHtml(String(session.status))}.</p>`);
    }
    const unit = entry.price.unit_amount ?? 0;
    const amount = formatAmount(unit * extras.quantity, entry.price.currency);
    const each = extras.quantity > 1 ? ` (${extras.quantity} × ${formatAmount(unit, entry.price.currency)})` : '';
    const body = `<section><h2>${escapeHtml(entry.product.name)}</h2>
<p><strong>${escapeHtml(amount)}</strong> per ${escapeHtml(entry.input.interval)}${escapeHtml(each)}</p>
${session.customer_email === null ? '' : `<p>Email: ${escapeHtml(session.customer_email)}</p>`}</section>
${actionButton(`/checkout/${session.id}/pay`, 'Pay')}${actionButton(`/checkout/${session.id}/decline`, 'Decline')}`;
    return sendPage(res, 200, 'Subscribe', body);
  }
  if (method === 'POST' && (action === 'pay' || action === 'decline')) {
    if (session.status !== 'open') return sendPage(res, 409, 'This checkout session is no longer open', '');
    if (action === 'decline') return redirect(res, session.cancel_url ?? '/');
    await deps.completeCheckout(session.id);
    return redirect(res, (session.success_url ?? '/').replaceAll('{CHECKOUT_SESSION_ID}', session.id));
  }
  return sendPage(res, 404, 'Not found', '');
}
