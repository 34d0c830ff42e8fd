import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { connectedScope, type AccountScopes } from './account-scope';
import type { Route, RouteContext, RouteResult } from './api-route';
import { decodeForm } from './form-body';
import { readBody } from './read-body';
import { newId } from './ids';
import { catalogRoutes } from './routes-catalog';
import { checkoutRoutes } from './routes-checkout';
import { billingRoutes } from './routes-billing';
import { connectRoutes } from './routes-connect';
import { invoiceRoutes } from './routes-invoices';
import { meterEventRoutes } from './routes-meter-events';
import {
  accountInvalid,
  idempotencyMismatch,
  invalidApiKey,
  missingApiKey,
  StripeApiError,
  unrecognizedUrl,
} from './stripe-errors';

const routes: Route[] = [...checkoutRoutes, ...billingRoutes, ...catalogRoutes, ...invoiceRoutes, ...connectRoutes, ...meterEventRoutes];

export type ApiContext = { scopes: AccountScopes; baseUrl: () => string; log: (line: string) => void };

type Reply = { status: number; body: object; replayed?: boolean };
type SavedReply = { fingerprint: string; reply: Reply };

/**
 * The /v1 API: Bearer `sk_` auth, form-encoded bodies (query strings for GET/DELETE), Stripe's error
 * bodies, and Stripe's idempotency: a repeated Idempotency-Key with the same request replays the saved
 * 2xx reply (the SDK keys every POST and retries on network errors); with a different request it is an
 * idempotency_error. Like Stripe, failed validations are not saved, so they re-run. A Stripe-Account
 * header scopes the request to that connected account (objects, idempotency keys and events); an
 * account the platform does not have is refused with 403, as Stripe refuses it.
 */
export function createApiHandler(api: ApiContext, deliver: (events: Stripe.Event[]) => void) {
  const saved = new Map<string, SavedReply>();

  return async (req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<void> => {
    const method = req.method ?? 'GET';
    const raw = method === 'POST' ? await readBody(req) : query;
    const account = header(req, 'stripe-account');
    const idempotencyKey = method === 'POST' ? header(req, 'idempotency-key') : undefined;
    // Stripe keys idempotency per account: the same key on two accounts is two requests.
    const key = idempotencyKey === undefined ? undefined : `${account ?? ''} ${idempotencyKey}`;
    const fingerprint = `${method} ${path}\n${raw}`;
    let result: RouteResult | undefined;
    let reply: Reply;
    try {
      const context = requestContext(api, authenticate(header(req, 'authorization')), account);
      const previous = key === undefined ? undefined : saved.get(key);
      if (previous !== undefined && key !== undefined) {
        if (previous.fingerprint !== fingerprint) throw idempotencyMismatch(idempotencyKey ?? '');
        reply = { ...previous.reply, replayed: true };
      } else {
        result = dispatch(context, method, path, raw);
        reply = { status: result.status ?? 200, body: result.body };
        if (key !== undefined) saved.set(key, { fingerprint, reply });
      }
    } catch (error) {
      reply = toErrorReply(error, api.log);
    }
    api.log(`${method} ${path}${account === undefined ? '' : ` (${account})`} → ${reply.status}${reply.replayed ? ' (idempotent replay)' : ''}`);
    send(res, reply);
    if (result?.events !== undefined && result.events.length > 0) deliver(result.events);
  };
}

function dispatch(context: RouteContext, method: string, path: string, raw: string): RouteResult {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.path.exec(path);
    if (match === null) continue;
    const ids = match.slice(1).map((id) => decodeURIComponent(id ?? ''));
    return route.handle(context, decodeForm(raw), ids);
  }
  throw unrecognizedUrl(method, path);
}

function requestContext(api: ApiContext, key: string, account: string | undefined): RouteContext {
  const shared = { connect: api.scopes.connect, apiKey: key, baseUrl: api.baseUrl, log: api.log };
  if (account === undefined) return { ...api.scopes.platform, ...shared };
  const scope = connectedScope(api.scopes, account);
  if (scope === undefined) throw accountInvalid(key, account);
  return { ...scope, ...shared };
}

/** Returns the secret key. */
function authenticate(authorization: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (match === null) throw missingApiKey();
  const key = match[1] ?? '';
  if (!key.startsWith('sk_')) throw invalidApiKey(key);
  return key;
}

function toErrorReply(error: unknown, log: (line: string) => void): Reply {
  if (error instanceof StripeApiError) return { status: error.status, body: error.body };
  // Our own bug: Stripe's 500 shape, details only in the log.
  log(`stripe stand-in internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { status: 500, body: { error: { type: 'api_error', message: 'An unknown error occurred in the Stripe stand-in.' } } };
}

function send(res: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body, null, 2);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'request-id': newId('req'),
    'stripe-version': Stripe.API_VERSION,
    ...(reply.replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
  res.end(body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
