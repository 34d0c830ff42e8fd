import type { Route } from './api-route';
import { buildCatalogEntry, buildProduct } from './catalog-objects';
import { expandResponse } from './expand';
import { applyMetadata, formObject, formString } from './form-body';
import { enumParam, integerParam, optionalParam, requiredParam } from './form-params';
import { newId } from './ids';
import { parameterMissing, parameterValue, resourceMissing } from './stripe-errors';

/**
 * Products and prices made through the API, in the account the request acts for (a connected
 * account, with Stripe-Account, as our membership dues do; the platform's own catalogue otherwise).
 * Prices are recurring, per unit, one month or one year: all a membership needs.
 */
const createProduct: Route = {
  method: 'POST',
  path: /^\/v1\/products$/,
  handle(context, params) {
    const product = buildProduct(requiredParam(params, 'name'), context.now(), applyMetadata({}, params['metadata']));
    product.description = optionalParam(params, 'description');
    context.store.products.set(product.id, product);
    return { body: product };
  },
};

const getProduct: Route = {
  method: 'GET',
  path: /^\/v1\/products\/([^/]+)$/,
  handle(context, _params, [id = '']) {
    const product = context.store.products.get(id);
    if (product === undefined) throw resourceMissing('product', id, 'id', 404);
    return { body: product };
  },
};

function readInterval(params: Parameters<Route['handle']>[1]): 'month' | 'year' {
  const recurring = formObject(params['recurring']);
  if (recurring === undefined) throw parameterValue('recurring', 'The Stripe stand-in only supports recurring prices: pass recurring[interval].');
  const interval = enumParam(recurring, 'interval', ['day', 'week', 'month', 'year'] as const);
  if (interval === undefined) throw parameterMissing('recurring[interval]');
  if (interval !== 'month' && interval !== 'year') throw parameterValue('recurring[interval]', 'The Stripe stand-in only supports month and year intervals.');
  const count = formString(recurring['interval_count']);
  if (count !== undefined && count !== '1') throw parameterValue('recurring[interval_count]', 'The Stripe stand-in only supports interval_count=1.');
  return interval;
}

const createPrice: Route = {
  method: 'POST',
  path: /^\/v1\/prices$/,
  handle(context, params) {
    const productId = requiredParam(params, 'product');
    const product = context.store.products.get(productId);
    if (product === undefined) throw resourceMissing('product', productId, 'product');
    const currency = requiredParam(params, 'currency').toLowerCase();
    const unitAmount = integerParam(formString(params['unit_amount']), 'unit_amount');
    const input = { id: newId('price'), productName: product.name, unitAmount, currency, interval: readInterval(params) };
    const entry = buildCatalogEntry(input, product, context.now(), applyMetadata({}, params['metadata']));
    entry.price.nickname = optionalParam(params, 'nickname');
    context.store.catalog.set(input.id, entry);
    return { body: expandResponse(context.store, entry.price, params) };
  },
};

const getPrice: Route = {
  method: 'GET',
  path: /^\/v1\/prices\/([^/]+)$/,
  handle(context, params, [id = '']) {
    const entry = context.store.catalog.get(id);
    if (entry === undefined) throw resourceMissing('price', id, 'price', 404);
    return { body: expandResponse(context.store, entry.price, params) };
  },
};

export const catalogRoutes: Route[] = [createProduct, getProduct, createPrice, getPrice];
