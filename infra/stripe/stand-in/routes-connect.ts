import type Stripe from 'stripe';
import type { Route } from './api-route';
import { addAccount, buildAccount } from './connect-accounts';
import { applyMetadata } from './form-body';
import { enumParam, optionalParam, requiredParam } from './form-params';
import { newId } from './ids';
import { accountInvalid, parameterMissing, resourceMissing } from './stripe-errors';

/** Stripe's account links are short-lived: a few minutes, then refresh_url. */
const ACCOUNT_LINK_LIFETIME_SECONDS = 300;

const accountTypes = ['express', 'standard', 'custom'] as const;

/** POST /v1/accounts: the platform creates a connected account (all types behave alike here). */
const createAccount: Route = {
  method: 'POST',
  path: /^\/v1\/accounts$/,
  handle(context, params) {
    const type = enumParam(params, 'type', accountTypes);
    if (type === undefined) throw parameterMissing('type');
    const account = buildAccount(
      { type, country: optionalParam(params, 'country') ?? 'US', email: optionalParam(params, 'email'), metadata: applyMetadata({}, params['metadata']) },
      context.now(),
    );
    addAccount(context.connect, account);
    return { body: account };
  },
};

/** GET /v1/accounts/:id: an account that is not the platform's is a 403, as on Stripe. */
const getAccount: Route = {
  method: 'GET',
  path: /^\/v1\/accounts\/([^/]+)$/,
  handle(context, _params, [id = '']) {
    const connected = context.connect.accounts.get(id);
    if (connected === undefined) throw accountInvalid(context.apiKey, id);
    return { body: connected.account };
  },
};

/** POST /v1/account_links: a single-use onboarding page for the account, at the stand-in. */
const createAccountLink: Route = {
  method: 'POST',
  path: /^\/v1\/account_links$/,
  handle(context, params) {
    const accountId = requiredParam(params, 'account');
    const type = enumParam(params, 'type', ['account_onboarding', 'account_update'] as const);
    if (type === undefined) throw parameterMissing('type');
    const refreshUrl = requiredParam(params, 'refresh_url');
    const returnUrl = requiredParam(params, 'return_url');
    if (!context.connect.accounts.has(accountId)) throw resourceMissing('account', accountId, 'account');
    const created = context.now();
    const id = newId('acctlink');
    const expiresAt = created + ACCOUNT_LINK_LIFETIME_SECONDS;
    context.connect.links.set(id, { id, account: accountId, refreshUrl, returnUrl, expiresAt, visited: false });
    const link: Stripe.AccountLink = { object: 'account_link', created, expires_at: expiresAt, url: `${context.baseUrl()}/connect/onboarding/${id}` };
    return { body: link };
  },
};

export const connectRoutes: Route[] = [createAccount, getAccount, createAccountLink];
