import type Stripe from 'stripe';
import type { Route } from './api-route';
import { expandResponse } from './expand';
import { booleanParam, optionalParam } from './form-params';
import { resourceMissing } from './stripe-errors';

/** GET /v1/invoices/:id: any invoice the account issued (first, renewal, proration). */
const getInvoice: Route = {
  method: 'GET',
  path: /^\/v1\/invoices\/([^/]+)$/,
  handle(context, params, [id = '']) {
    const invoice = context.store.invoices.get(id);
    if (invoice === undefined) throw resourceMissing('invoice', id, 'invoice', 404);
    return { body: expandResponse(context.store, invoice, params) };
  },
};

/**
 * GET /v1/invoiceitems, filtered by `customer`, `invoice` and `pending` as on Stripe, newest first;
 * the only items are prorations. One page of everything (no `limit` or cursors).
 */
const listInvoiceItems: Route = {
  method: 'GET',
  path: /^\/v1\/invoiceitems$/,
  handle(context, params) {
    const customer = optionalParam(params, 'customer');
    const invoice = optionalParam(params, 'invoice');
    const pending = booleanParam(params, 'pending');
    const data = [...context.store.invoiceItems.values()]
      .filter((item) => customer === null || item.customer === customer)
      .filter((item) => invoice === null || item.invoice === invoice)
      .filter((item) => pending === undefined || (item.invoice === null) === pending)
      .reverse();
    const list: Stripe.ApiList<Stripe.InvoiceItem> = { object: 'list', data, has_more: false, url: '/v1/invoiceitems' };
    return { body: list };
  },
};

export const invoiceRoutes: Route[] = [getInvoice, listInvoiceItems];
