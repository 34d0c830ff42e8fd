import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { arrayLiteral, coalesceCommutative } from './commutative-statements';
import type { SqlStatement } from './projection';

test('commutative statements are combined per key and run after the ordered ones, which keep their order', () => {
  const combine = (rows: unknown[][]): SqlStatement => ({ text: 'combined', values: [rows.map((r) => r[0]).join('+')] });
  const touch = (n: number): SqlStatement => ({ text: 'touch', values: [n], commutative: { key: 'touch', combine } });
  const ordered = (n: number): SqlStatement => ({ text: 'ordered', values: [n] });
  const result = coalesceCommutative([ordered(1), touch(2), ordered(3), touch(4), touch(5), ordered(6)]);
  assert.equal(result.map((s) => [s.text, ...s.values]), [['ordered', 1], ['ordered', 3], ['ordered', 6], ['combined', '2+4+5']]);
});

test('array literals quote every element and escape quotes and backslashes', () => {
  assert.is(arrayLiteral(['a', 'b,c', 'say "hi"', 'back\\slash', '{}']), '{"a","b,c","say \\"hi\\"","back\\\\slash","{}"}');
  assert.is(arrayLiteral([]), '{}');
});

test.run();
