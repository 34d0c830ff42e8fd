import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTokenBucketLimiter } from './token-bucket';

const tenant = { key: 'tenant:a', perSecond: 2, capacity: 4 };
const subject = { key: 'tenant:a:subject:u', perSecond: 1, capacity: 2 };

test('a burst passes, the next request waits for a token, and keys do not share buckets', async () => {
  let clock = 0;
  const limiter = createTokenBucketLimiter({ ratePerSecond: 100, burst: 100, now: () => clock });
  const one = { key: 'a', perSecond: 2, capacity: 3 };
  assert.equal((await Promise.all([1, 2, 3].map(() => limiter.take([one], 1)))).map((d) => d.allowed), [true, true, true]);
  assert.equal(await limiter.take([one], 1), { allowed: false, limit: 3, remaining: 0, resetSeconds: 2, retryAfterSeconds: 1 });
  assert.is((await limiter.take([{ ...one, key: 'b' }], 1)).allowed, true);
  clock = 500;
  assert.is((await limiter.take([one], 1)).allowed, true);
  assert.is((await limiter.take([one], 1)).allowed, false);
});

test('the headers follow the tighter bucket, and a refused request takes from neither', async () => {
  let clock = 0;
  const limiter = createTokenBucketLimiter({ ratePerSecond: 100, burst: 100, now: () => clock });
  assert.equal(await limiter.take([tenant, subject], 1), { allowed: true, limit: 2, remaining: 1, resetSeconds: 1, retryAfterSeconds: 0 });
  assert.is((await limiter.take([tenant, subject], 1)).allowed, true);
  const refused = await limiter.take([tenant, subject], 1);
  assert.equal([refused.allowed, refused.limit, refused.retryAfterSeconds], [false, 2, 1]);
  // Another subject of the same tenant still has the tenant's other two tokens, and no more.
  const other = { ...subject, key: 'tenant:a:subject:v' };
  assert.equal(await limiter.take([tenant, other], 1), { allowed: true, limit: 2, remaining: 1, resetSeconds: 1, retryAfterSeconds: 0 });
  assert.equal(await limiter.take([tenant, other], 1), { allowed: true, limit: 2, remaining: 0, resetSeconds: 2, retryAfterSeconds: 0 });
  // A third subject is refused by the spent tenant bucket, though its own is full.
  const tenantSpent = await limiter.take([tenant, { ...subject, key: 'tenant:a:subject:w' }], 1);
  assert.equal([tenantSpent.allowed, tenantSpent.limit], [false, 4]);
  clock = 1000;
  assert.is((await limiter.take([tenant, subject], 1)).allowed, true);
});

test('work weighs: a request costing more than a bucket holds waits for a full bucket, never for ever', async () => {
  let clock = 0;
  const limiter = createTokenBucketLimiter({ ratePerSecond: 100, burst: 100, now: () => clock });
  const bucket = { key: 't', perSecond: 10, capacity: 50 };
  assert.equal(await limiter.take([bucket], 30), { allowed: true, limit: 50, remaining: 20, resetSeconds: 3, retryAfterSeconds: 0 });
  assert.equal(await limiter.take([bucket], 30), { allowed: false, limit: 50, remaining: 20, resetSeconds: 3, retryAfterSeconds: 1 });
  assert.is((await limiter.take([bucket], 500)).retryAfterSeconds, 3);
  clock = 3000;
  assert.equal(await limiter.take([bucket], 500), { allowed: true, limit: 50, remaining: 0, resetSeconds: 5, retryAfterSeconds: 0 });
});

test('the operator cap binds every bucket, whatever the plan asks', async () => {
  const limiter = createTokenBucketLimiter({ ratePerSecond: 1, burst: 2, now: () => 0 });
  const decision = await limiter.take([{ key: 'big', perSecond: 1000, capacity: 60_000 }], 1);
  assert.equal(decision, { allowed: true, limit: 2, remaining: 1, resetSeconds: 1, retryAfterSeconds: 0 });
});

test('a plan change applies at once: what was spent stays spent, under the new capacity', async () => {
  const limiter = createTokenBucketLimiter({ ratePerSecond: 1000, burst: 100_000, now: () => 0 });
  await limiter.take([{ key: 't', perSecond: 5, capacity: 300 }], 250);
  assert.is((await limiter.take([{ key: 't', perSecond: 50, capacity: 3000 }], 1)).remaining, 2749);
  const lowered = await limiter.take([{ key: 't', perSecond: 1, capacity: 100 }], 1);
  assert.equal([lowered.allowed, lowered.remaining, lowered.retryAfterSeconds], [false, 0, 152]);
});

test.run();
