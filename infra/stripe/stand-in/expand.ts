import { formArray, formString, type FormObject } from './form-body';
import { buildCheckoutLineItems } from './checkout-objects';
import { snapshot } from './object-diff';
import type { StandInStore } from './stand-in-store';

/**
 * Stripe's `expand[]`: each dotted path replaces an id string with the object it names.
 * Works on a copy, so the stored object keeps its ids. Unknown paths are ignored rather than
 * rejected (Stripe would 400); the adapter's own tests will notice a missing object quickly.
 */
export function expandResponse(store: StandInStore, object: object, params: FormObject): object {
  const paths = formArray(params['expand']).map(formString).filter((path): path is string => path !== undefined);
  if (paths.length === 0) return object;
  const copy = snapshot(object) as Record<string, unknown>;
  for (const path of paths) expandPath(store, copy, path.split('.'));
  return copy;
}

function expandPath(store: StandInStore, target: Record<string, unknown>, path: string[]): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (head === 'line_items' && target['object'] === 'checkout.session') {
    target[head] = sessionLineItems(store, String(target['id']));
    return;
  }
  let value = target[head];
  if (typeof value === 'string') {
    value = lookup(store, value);
    if (value !== undefined) target[head] = value;
  }
  if (rest.length > 0 && typeof value === 'object' && value !== null) {
    expandPath(store, value as Record<string, unknown>, rest);
  }
}

function lookup(store: StandInStore, id: string): object | undefined {
  const found =
    store.customers.get(id) ??
    store.subscriptions.get(id)?.subscription ??
    store.invoices.get(id) ??
    store.catalog.get(id)?.price ??
    store.products.get(id);
  return found === undefined ? undefined : snapshot(found);
}

function sessionLineItems(store: StandInStore, sessionId: string): object | undefined {
  const record = store.sessions.get(sessionId);
  const entry = record === undefined ? undefined : store.catalog.get(record.extras.priceId);
  if (record === undefined || entry === undefined) return undefined;
  return snapshot(buildCheckoutLineItems(sessionId, record.extras, entry));
}
