import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { statementsOfBatch } from './batched-rows';
import type { BatchedKind, SqlStatement } from './projection';

const kind = (key: string, place: 'first' | 'last'): BatchedKind =>
  ({ key, place, build: (rows) => ({ text: key, values: rows.map((row) => row.n) }) });
const inserts = kind('insert', 'first');
const touches = kind('touch', 'last');
const plain = (n: number): SqlStatement => ({ text: 'plain', values: [n] });

test('batched rows become one statement per kind, before or after the plain statements, which keep their order', () => {
  const statements = statementsOfBatch([
    plain(1), { kind: touches, row: { n: 2 } }, { kind: inserts, row: { n: 3 } }, plain(4),
    { kind: touches, row: { n: 5 } }, { kind: inserts, row: { n: 6 } }, plain(7),
  ]);
  assert.equal(statements.map((s) => [s.text, ...s.values]), [
    ['insert', 3, 6], ['plain', 1], ['plain', 4], ['plain', 7], ['touch', 2, 5],
  ]);
});

test('a batch without batched rows is its plain statements as they came', () => {
  assert.equal(statementsOfBatch([plain(1), plain(2)]), [plain(1), plain(2)]);
  assert.equal(statementsOfBatch([]), []);
});

test.run();
