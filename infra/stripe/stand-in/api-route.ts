import type Stripe from 'stripe';
import type { ConnectRegistry } from './connect-accounts';
import type { FormObject } from './form-body';
import type { LifecycleContext } from './invoice-outcomes';

/**
 * What an API route may use: the lifecycle context of the account the request acts for (the
 * platform, or the connected account its Stripe-Account header names), and the platform's
 * registry of connected accounts. `apiKey` is the caller's secret key (Stripe quotes it, masked, in
 * some errors). `baseUrl` is known only once the server listens.
 */
export type RouteContext = LifecycleContext & {
  connect: ConnectRegistry;
  apiKey: string;
  baseUrl: () => string;
  log: (line: string) => void;
};

/**
 * A route answers with the object to return and the events its change caused. The events are
 * delivered after the HTTP response is sent, as Stripe does: a caller that holds a lock while it
 * waits for the API must not wait on its own webhook handler.
 */
export type RouteResult = { status?: number; body: object; events?: Stripe.Event[] };

export type Route = {
  method: 'GET' | 'POST' | 'DELETE';
  /** Matched against the path; capture groups are passed on as `ids`. */
  path: RegExp;
  handle(context: RouteContext, params: FormObject, ids: string[]): RouteResult;
};
