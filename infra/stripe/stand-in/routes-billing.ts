import { buildCustomer } from './customer-object';
import { expandResponse } from './expand';
import { applyMetadata, formArray, formObject, formString, type FormObject } from './form-body';
import type { Route, RouteContext } from './api-route';
import { onlyItem, type SubscriptionRecord } from './stand-in-store';
import { cancelNow, changeSubscription, type SubscriptionChange } from './subscription-changes';
import { booleanParam, enumParam, optionalParam as optional } from './form-params';
import { prorationBehaviors } from './prorations';
import { parameterValue, resourceMissing } from './stripe-errors';

function findSubscription(context: RouteContext, id: string): SubscriptionRecord {
  const record = context.store.subscriptions.get(id);
  if (record === undefined) throw resourceMissing('subscription', id, 'id', 404);
  return record;
}

const createCustomer: Route = {
  method: 'POST',
  path: /^\/v1\/customers$/,
  handle(context, params) {
    const customer = buildCustomer(
      { email: optional(params, 'email'), name: optional(params, 'name'), metadata: applyMetadata({}, params['metadata']) },
      context.now(),
    );
    customer.description = optional(params, 'description');
    customer.phone = optional(params, 'phone');
    context.store.customers.set(customer.id, customer);
    return { body: customer };
  },
};

const getCustomer: Route = {
  method: 'GET',
  path: /^\/v1\/customers\/([^/]+)$/,
  handle(context, params, [id = '']) {
    const customer = context.store.customers.get(id);
    if (customer === undefined) throw resourceMissing('customer', id, 'id', 404);
    return { body: expandResponse(context.store, customer, params) };
  },
};

const getSubscription: Route = {
  method: 'GET',
  path: /^\/v1\/subscriptions\/([^/]+)$/,
  handle(context, params, [id = '']) {
    return { body: expandResponse(context.store, findSubscription(context, id).subscription, params) };
  },
};

/** `items[0][id]` + `items[0][price]` switches the price; our subscriptions have one item. */
function readPriceChange(context: RouteContext, record: SubscriptionRecord, params: FormObject): string | undefined {
  const items = formArray(params['items']);
  if (items.length === 0) return undefined;
  const first = formObject(items[0]) ?? {};
  const itemId = formString(first['id']);
  const priceId = formString(first['price']);
  if (items.length > 1 || itemId === undefined) {
    throw parameterValue('items[0][id]', 'The Stripe stand-in supports one subscription item: pass items[0][id] with items[0][price].');
  }
  if (itemId !== onlyItem(record.subscription).id) throw resourceMissing('subscription_item', itemId, 'items[0][id]');
  if (priceId === undefined) return undefined;
  if (!context.store.catalog.has(priceId)) throw resourceMissing('price', priceId, 'items[0][price]');
  return priceId;
}

const updateSubscription: Route = {
  method: 'POST',
  path: /^\/v1\/subscriptions\/([^/]+)$/,
  handle(context, params, [id = '']) {
    const record = findSubscription(context, id);
    const change: SubscriptionChange = {};
    const priceId = readPriceChange(context, record, params);
    if (priceId !== undefined) {
      change.priceId = priceId;
      // Stripe's default for an API update is to prorate.
      change.proration = enumParam(params, 'proration_behavior', prorationBehaviors) ?? 'create_prorations';
    }
    const cancelAtPeriodEnd = booleanParam(params, 'cancel_at_period_end');
    if (cancelAtPeriodEnd !== undefined) change.cancelAtPeriodEnd = cancelAtPeriodEnd;
    if (params['metadata'] !== undefined) change.metadata = applyMetadata(record.subscription.metadata, params['metadata']);
    const events = changeSubscription(context, id, change);
    return { body: expandResponse(context.store, record.subscription, params), events };
  },
};

const deleteSubscription: Route = {
  method: 'DELETE',
  path: /^\/v1\/subscriptions\/([^/]+)$/,
  handle(context, params, [id = '']) {
    const record = findSubscription(context, id);
    const events = cancelNow(context, id);
    return { body: expandResponse(context.store, record.subscription, params), events };
  },
};

export const billingRoutes: Route[] = [createCustomer, getCustomer, getSubscription, updateSubscription, deleteSubscription];
