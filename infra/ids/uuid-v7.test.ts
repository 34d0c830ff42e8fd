import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomFillSync } from 'node:crypto';
import { createUuidV7Generator } from './uuid-v7';

test('UUIDv7s of the current millisecond, all distinct, the kernel asked once per 256 ids', () => {
  let fills = 0;
  const newId = createUuidV7Generator({ fill: (buffer) => { fills += 1; randomFillSync(buffer); } });
  const before = Date.now();
  const ids = Array.from({ length: 10_000 }, newId);
  const after = Date.now();
  assert.is(new Set(ids).size, ids.length);
  assert.is(fills, Math.ceil(ids.length / 256));
  for (const id of [ids[0]!, ids.at(-1)!]) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const msecs = parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    assert.ok(msecs >= before && msecs <= after, `${msecs} within ${before}..${after}`);
  }
});

test.run();
