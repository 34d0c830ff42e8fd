import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { createTestDatabase, type TestDatabase } from '../postgres/test-database';
import { createPostgresIdempotencyStore, purgeExpiredIdempotencyRecords } from './postgres-idempotency-store';
import { holdProcessLiveness } from './process-liveness';

const test = suite<{ db: TestDatabase }>('PostgreSQL idempotency store');
test.before(async (context) => {
  context.db = await createTestDatabase();
});
test.after(async ({ db }) => db.drop());

const reservedAt = (reservation: unknown) => (reservation as { startedAt: string }).startedAt;

test('a pending key is in progress while its process lives, however long; once it died, the next attempt resumes it', async ({ db }) => {
  const first = await holdProcessLiveness(db.pool);
  const second = await holdProcessLiveness(db.pool);
  const tenantId = uuidv7();
  const reservation = await createPostgresIdempotencyStore(db.pool, first).reserve(tenantId, 'k', 'h', new Date().toISOString());
  assert.equal(reservation, { outcome: 'reserved', startedAt: reservedAt(reservation), resumed: false });
  const retried = createPostgresIdempotencyStore(db.pool, second);
  await db.pool.query(`UPDATE idempotency_records SET created_at = now() - interval '1 hour', started_at = now() - interval '1 hour'`);
  assert.equal(await retried.reserve(tenantId, 'k', 'h', new Date().toISOString()), { outcome: 'in-progress' }, 'an hour, but its process lives');
  const { rows } = await db.pool.query('SELECT started_at FROM idempotency_records');
  await first.stop();
  assert.equal(await retried.reserve(tenantId, 'k', 'h', new Date().toISOString()), { outcome: 'reserved', startedAt: (rows[0].started_at as Date).toISOString(), resumed: true });
  assert.equal(await createPostgresIdempotencyStore(db.pool, first).reserve(tenantId, 'k', 'h', new Date().toISOString()), { outcome: 'in-progress' },
    'the resuming process holds it now');
  await second.stop();
});

test('an interrupted attempt is resumed at once, at its first start; only by the same request', async ({ db }) => {
  const liveness = await holdProcessLiveness(db.pool);
  const store = createPostgresIdempotencyStore(db.pool, liveness);
  const tenantId = uuidv7();
  const first = await store.reserve(tenantId, 'k', 'h', new Date().toISOString());
  await store.interrupt(tenantId, 'k');
  assert.equal(await store.reserve(tenantId, 'k', 'other', new Date().toISOString()), { outcome: 'different-request' });
  assert.equal(await store.reserve(tenantId, 'k', 'h', new Date().toISOString()), { outcome: 'reserved', startedAt: reservedAt(first), resumed: true });
  await liveness.stop();
});

test('a completed key replays within 24 hours and is free after them', async ({ db }) => {
  const liveness = await holdProcessLiveness(db.pool);
  const store = createPostgresIdempotencyStore(db.pool, liveness);
  const tenantId = uuidv7();
  await store.reserve(tenantId, 'k', 'h', new Date().toISOString());
  await store.complete(tenantId, 'k', { statusCode: 201, body: { memberId: 'm' }, etag: '"0"' });
  await store.interrupt(tenantId, 'k');
  assert.equal(await store.reserve(tenantId, 'k', 'h', new Date().toISOString()),
    { outcome: 'replay', response: { statusCode: 201, body: { memberId: 'm' }, etag: '"0"' } });
  assert.equal(await store.reserve(tenantId, 'k', 'other', new Date().toISOString()), { outcome: 'different-request' });
  await db.pool.query(`UPDATE idempotency_records SET created_at = now() - interval '25 hours' WHERE tenant_id = $1`, [tenantId]);
  const fresh = await store.reserve(tenantId, 'k', 'other', new Date().toISOString());
  assert.equal(fresh, { outcome: 'reserved', startedAt: reservedAt(fresh), resumed: false });
  assert.ok(Date.now() - Date.parse(reservedAt(fresh)) < 60_000, 'a new first attempt');
  await liveness.stop();
});

test('records past their 24 hours are purged, younger ones stay', async ({ db }) => {
  const store = createPostgresIdempotencyStore(db.pool, { holder: 0 });
  const tenantId = uuidv7();
  for (const key of ['old', 'young']) {
    await store.reserve(tenantId, key, 'h', new Date().toISOString());
    await store.complete(tenantId, key, { statusCode: 201, body: { ok: true }, etag: null });
  }
  await db.pool.query(`UPDATE idempotency_records SET created_at = now() - interval '25 hours' WHERE tenant_id = $1 AND key = 'old'`, [tenantId]);
  const keys = async () => (await db.pool.query('SELECT key FROM idempotency_records WHERE tenant_id = $1', [tenantId])).rows.map((r) => r.key);
  assert.ok(await purgeExpiredIdempotencyRecords(db.pool, new Date()) >= 1);
  assert.equal(await keys(), ['young']);
  await purgeExpiredIdempotencyRecords(db.pool, new Date(Date.now() + 25 * 3600 * 1000));
  assert.equal(await keys(), [], 'by the clock it is given');
});

test.run();
