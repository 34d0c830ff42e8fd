import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { createTestDatabase, type TestDatabase } from '../postgres/test-database';
import { createPostgresIdempotencyStore } from './postgres-idempotency-store';

const test = suite<{ db: TestDatabase }>('PostgreSQL idempotency store');
test.before(async (context) => {
  context.db = await createTestDatabase();
});
test.after(async ({ db }) => db.drop());

test('a pending key is in progress; once abandoned by a crashed request, a retry may run it', async ({ db }) => {
  const store = createPostgresIdempotencyStore(db.pool);
  const tenantId = uuidv7();
  assert.equal(await store.reserve(tenantId, 'k', 'h'), { outcome: 'reserved' });
  assert.equal(await store.reserve(tenantId, 'k', 'h'), { outcome: 'in-progress' });
  await db.pool.query(`UPDATE idempotency_records SET created_at = now() - interval '3 minutes'`);
  assert.equal(await store.reserve(tenantId, 'k', 'h'), { outcome: 'reserved' });
});

test('a completed key replays within 24 hours and is free after them', async ({ db }) => {
  const store = createPostgresIdempotencyStore(db.pool);
  const tenantId = uuidv7();
  await store.reserve(tenantId, 'k', 'h');
  await store.complete(tenantId, 'k', { statusCode: 201, body: { memberId: 'm' }, etag: '"0"' });
  await db.pool.query(`UPDATE idempotency_records SET created_at = now() - interval '3 minutes' WHERE tenant_id = $1`, [tenantId]);
  assert.equal(await store.reserve(tenantId, 'k', 'h'),
    { outcome: 'replay', response: { statusCode: 201, body: { memberId: 'm' }, etag: '"0"' } });
  assert.equal(await store.reserve(tenantId, 'k', 'other'), { outcome: 'different-request' });
  await db.pool.query(`UPDATE idempotency_records SET created_at = now() - interval '25 hours' WHERE tenant_id = $1`, [tenantId]);
  assert.equal(await store.reserve(tenantId, 'k', 'other'), { outcome: 'reserved' });
});

test('records past their 24 hours are purged, younger ones stay', async ({ db }) => {
  const store = createPostgresIdempotencyStore(db.pool);
  const tenantId = uuidv7();
  for (const key of ['old', 'young']) {
    await store.reserve(tenantId, key, 'h');
    await store.complete(tenantId, key, { statusCode: 201, body: { ok: true }, etag: null });
  }
  await db.pool.query(`UPDATE idempotency_records SET created_at = now() - interval '25 hours' WHERE tenant_id = $1 AND key = 'old'`, [tenantId]);
  const keys = async () => (await db.pool.query('SELECT key FROM idempotency_records WHERE tenant_id = $1', [tenantId])).rows.map((r) => r.key);
  assert.ok(await store.purgeExpired(new Date()) >= 1);
  assert.equal(await keys(), ['young']);
  await store.purgeExpired(new Date(Date.now() + 25 * 3600 * 1000));
  assert.equal(await keys(), [], 'by the clock it is given');
});

test.run();
