import type { ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import type { ConnectRegistry } from './connect-accounts';
import { actionButton, escapeHtml, redirect, sendPage } from './html';

export type OnboardingPageDeps = {
  connect: ConnectRegistry;
  now: () => number;
  completeOnboarding(accountId: string): Promise<Stripe.Event[]>;
};

/**
 * An account link's page: GET /connect/onboarding/:link shows the account and two buttons. "Finish
 * onboarding" (POST …/complete) does what `completeOnboarding` does, then goes to return_url once
 * account.updated was delivered. "Leave" (POST …/leave) goes to return_url with nothing changed, as
 * Stripe's return_url does not mean the account is ready. Like Stripe's, a link is single-use and
 * short-lived: opened again, or after expires_at, it sends the user to refresh_url for a new link.
 */
export async function handleOnboardingPage(deps: OnboardingPageDeps, res: ServerResponse, method: string, parts: string[]): Promise<void> {
  const [linkId = '', action] = parts;
  const link = deps.connect.links.get(linkId);
  if (link === undefined) return sendPage(res, 404, 'Account link not found', `<p>No link ${escapeHtml(linkId)}.</p>`);
  const expired = deps.now() >= link.expiresAt;

  if (method === 'GET' && action === undefined) {
    if (expired || link.visited) return redirect(res, link.refreshUrl);
    link.visited = true;
    const body = `<section><h2>Connect account ${escapeHtml(link.account)}</h2>
<p>Stripe would ask for business details, a bank account and terms acceptance here.</p></section>
${actionButton(`/connect/onboarding/${link.id}/complete`, 'Finish onboarding')}${actionButton(`/connect/onboarding/${link.id}/leave`, 'Leave')}`;
    return sendPage(res, 200, 'Set up payments', body);
  }
  if (method === 'POST' && (action === 'complete' || action === 'leave')) {
    if (expired) return redirect(res, link.refreshUrl);
    if (action === 'complete') await deps.completeOnboarding(link.account);
    return redirect(res, link.returnUrl);
  }
  return sendPage(res, 404, 'Not found', '');
}
