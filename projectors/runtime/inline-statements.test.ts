import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { inlineStatements } from './inline-statements';

const escape = (value: string) => pg.Client.prototype.escapeLiteral.call(null as never, value);

test('values become escaped literals, in place of $n, including $10 and beyond', () => {
  const text = inlineStatements([
    { text: 'SELECT $1, $2, $3, $4', values: ["O'Brien \\ x", 42, null, true] },
    { text: 'SELECT $10, $1', values: ['a', 2, 3, 4, 5, 6, 7, 8, 9, 'ten'] },
  ], escape);
  assert.is(text, "SELECT  E'O''Brien \\\\ x', 42, NULL, TRUE;\nSELECT 'ten', 'a'");
});

test('objects and non-finite numbers are refused rather than inlined', () => {
  assert.throws(() => inlineStatements([{ text: 'SELECT $1', values: [{ a: 1 }] }], escape));
  assert.throws(() => inlineStatements([{ text: 'SELECT $1', values: [Number.NaN] }], escape));
});

test.run();
