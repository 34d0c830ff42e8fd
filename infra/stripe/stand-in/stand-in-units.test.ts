import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { periodBoundary } from './billing-period';
import { applyMetadata, decodeForm } from './form-body';
import { previousAttributes } from './object-diff';

const form = suite('stand-in form decoding');

form('decodes Stripe bracket notation into nested objects and arrays', () => {
  const body =
    'mode=subscription&line_items[0][price]=price_a&line_items[0][quantity]=2' +
    '&metadata[tenantId]=t%201&subscription_data[metadata][planId]=basic&expand[]=a&expand[]=b.c' +
    '&items%5B0%5D%5Bid%5D=si_1&items%5B0%5D%5Bprice%5D=price_b';
  assert.equal(decodeForm(body), {
    mode: 'subscription',
    line_items: [{ price: 'price_a', quantity: '2' }],
    metadata: { tenantId: 't 1' },
    subscription_data: { metadata: { planId: 'basic' } },
    expand: ['a', 'b.c'],
    items: [{ id: 'si_1', price: 'price_b' }],
  });
});

form('metadata follows Stripe: empty value unsets a key, empty metadata clears all', () => {
  const current = { a: '1', b: '2' };
  assert.equal(applyMetadata(current, decodeForm('metadata[a]=&metadata[c]=3')['metadata']), { b: '2', c: '3' });
  assert.equal(applyMetadata(current, decodeForm('metadata=')['metadata']), {});
  assert.equal(applyMetadata(current, undefined), current);
});

form.run();

const period = suite('stand-in billing periods');

period('counts calendar months from the anchor and clamps to the month end', () => {
  const jan31 = Date.UTC(2026, 0, 31, 10, 30) / 1000;
  assert.is(periodBoundary(jan31, 'month', 1), Date.UTC(2026, 1, 28, 10, 30) / 1000);
  assert.is(periodBoundary(jan31, 'month', 2), Date.UTC(2026, 2, 31, 10, 30) / 1000);
  assert.is(periodBoundary(jan31, 'month', 13), Date.UTC(2027, 1, 28, 10, 30) / 1000);
  const leapDay = Date.UTC(2028, 1, 29) / 1000;
  assert.is(periodBoundary(leapDay, 'year', 1), Date.UTC(2029, 1, 28) / 1000);
  assert.is(periodBoundary(leapDay, 'year', 4), Date.UTC(2032, 1, 29) / 1000);
});

period.run();

const diff = suite('stand-in previous_attributes');

diff('keeps old values of changed keys, recursing into hashes and giving arrays whole', () => {
  const before = { status: 'active', metadata: { a: '1', b: '2' }, items: { data: [{ price: 'p1' }] }, same: 1 };
  const after = { status: 'past_due', metadata: { a: '1', b: '3', c: '4' }, items: { data: [{ price: 'p2' }] }, same: 1 };
  assert.equal(previousAttributes(before, after), {
    status: 'active',
    metadata: { b: '2', c: null },
    items: { data: [{ price: 'p1' }] },
  });
});

diff.run();
