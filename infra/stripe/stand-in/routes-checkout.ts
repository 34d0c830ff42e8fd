import type { CatalogEntry } from './catalog-objects';
import { buildCheckoutSession, buildPortalSession, type CheckoutInput } from './checkout-objects';
import { currentSession } from './checkout-completion';
import { expandResponse } from './expand';
import { applyMetadata, formArray, formObject, formString, type FormObject } from './form-body';
import { optionalParam as optional, percentParam, requiredParam as required } from './form-params';
import { newId } from './ids';
import type { Route, RouteContext } from './api-route';
import { chargesDisabled, connectOnly, parameterMissing, parameterValue, resourceMissing, StripeApiError } from './stripe-errors';

/** One line item with a known price and a positive integer quantity: all our plans need. */
function readLineItem(context: RouteContext, params: FormObject): { entry: CatalogEntry; quantity: number } {
  const items = formArray(params['line_items']);
  const first = formObject(items[0]);
  if (first === undefined) throw parameterMissing('line_items');
  if (items.length > 1) throw parameterValue('line_items', 'The Stripe stand-in supports exactly one line item per session.');
  const priceId = formString(first['price']);
  if (priceId === undefined || priceId === '') throw parameterMissing('line_items[0][price]');
  const entry = context.store.catalog.get(priceId);
  if (entry === undefined) throw resourceMissing('price', priceId, 'line_items[0][price]');
  const rawQuantity = formString(first['quantity']);
  if (rawQuantity === undefined) throw parameterMissing('line_items[0][quantity]');
  const quantity = Number(rawQuantity);
  if (!/^\d+$/.test(rawQuantity) || quantity < 1) {
    throw new StripeApiError(400, {
      error: { type: 'invalid_request_error', message: 'Invalid positive integer', code: 'parameter_invalid_integer', param: 'line_items[0][quantity]' },
    });
  }
  return { entry, quantity };
}

function readCustomer(context: RouteContext, params: FormObject): string | null {
  const customer = optional(params, 'customer');
  if (customer !== null && !context.store.customers.has(customer)) throw resourceMissing('customer', customer, 'customer');
  if (customer !== null && optional(params, 'customer_email') !== null) {
    throw new StripeApiError(400, {
      error: { type: 'invalid_request_error', message: 'You may only specify one of these parameters: customer, customer_email.', code: 'parameters_exclusive', param: 'customer_email' },
    });
  }
  return customer;
}

/**
 * `subscription_data[application_fee_percent]`: the platform's cut of each invoice. Stripe accepts it
 * only on a request made for a connected account.
 */
function readApplicationFee(context: RouteContext, subscriptionData: FormObject): number | null {
  const param = 'subscription_data[application_fee_percent]';
  const percent = percentParam(formString(subscriptionData['application_fee_percent']), param);
  if (percent !== null && context.account === null) {
    throw connectOnly(param, 'Can only apply an application_fee_percent when the request is made on behalf of another account (using an OAuth key or the Stripe-Account header).');
  }
  return percent;
}

/** A connected account takes payments only once onboarding enabled its charges. */
function requireChargesEnabled(context: RouteContext): void {
  if (context.account === null) return;
  if (context.connect.accounts.get(context.account)?.account.charges_enabled !== true) throw chargesDisabled(context.account);
}

const createCheckoutSession: Route = {
  method: 'POST',
  path: /^\/v1\/checkout\/sessions$/,
  handle(context, params) {
    const mode = required(params, 'mode');
    if (mode !== 'subscription') throw parameterValue('mode', 'The Stripe stand-in only supports mode=subscription.');
    const input: CheckoutInput = {
      successUrl: required(params, 'success_url'),
      cancelUrl: required(params, 'cancel_url'),
      ...readLineItem(context, params),
      customer: readCustomer(context, params),
      customerEmail: optional(params, 'customer_email'),
      clientReferenceId: optional(params, 'client_reference_id'),
      metadata: applyMetadata({}, params['metadata']),
    };
    const subscriptionData = formObject(params['subscription_data']) ?? {};
    const applicationFeePercent = readApplicationFee(context, subscriptionData);
    requireChargesEnabled(context);
    const session = buildCheckoutSession(input, context.baseUrl(), context.now());
    const extras = {
      priceId: input.entry.price.id,
      quantity: input.quantity,
      subscriptionMetadata: applyMetadata({}, subscriptionData['metadata']),
      applicationFeePercent,
      lineItemId: newId('li'),
    };
    context.store.sessions.set(session.id, { session, extras });
    return { body: expandResponse(context.store, session, params) };
  },
};

const getCheckoutSession: Route = {
  method: 'GET',
  path: /^\/v1\/checkout\/sessions\/([^/]+)$/,
  handle(context, params, [id = '']) {
    const record = currentSession(context.store, id, context.now());
    if (record === undefined) throw resourceMissing('checkout.session', id, 'session', 404);
    return { body: expandResponse(context.store, record.session, params) };
  },
};

const createPortalSession: Route = {
  method: 'POST',
  path: /^\/v1\/billing_portal\/sessions$/,
  handle(context, params) {
    const customer = required(params, 'customer');
    if (!context.store.customers.has(customer)) throw resourceMissing('customer', customer, 'customer');
    const session = buildPortalSession(customer, optional(params, 'return_url'), context.baseUrl(), context.now());
    context.store.portalSessions.set(session.id, session);
    return { body: session };
  },
};

export const checkoutRoutes: Route[] = [createCheckoutSession, getCheckoutSession, createPortalSession];
