import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTokenBucketLimiter } from './token-bucket';

test('a burst passes, the next request waits for a token, and keys do not share buckets', () => {
  let clock = 0;
  const limiter = createTokenBucketLimiter({ ratePerSecond: 2, burst: 3, now: () => clock });
  assert.equal([1, 2, 3].map(() => limiter.take('a').allowed), [true, true, true]);
  assert.equal(limiter.take('a'), { allowed: false, retryAfterSeconds: 1 });
  assert.is(limiter.take('b').allowed, true);
  clock = 500;
  assert.is(limiter.take('a').allowed, true);
  assert.is(limiter.take('a').allowed, false);
});

test.run();
