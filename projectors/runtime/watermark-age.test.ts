import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestDatabase, type TestDatabase } from '../../infra/postgres/test-database';
import { measureWatermarkAge, watermarkMetrics } from './watermark-age';

const test = suite<{ db: TestDatabase }>('watermark age');
test.before(async (context) => {
  context.db = await createTestDatabase();
});
test.after(async ({ db }) => db.drop());

test('an open transaction holding an id shows as the watermark\'s age, and events committed after it as held back', async ({ db }) => {
  assert.equal(await measureWatermarkAge(db.pool), { holderSeconds: 0, heldBackSeconds: 0 });
  const holder = await db.pool.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT pg_current_xact_id()');
    await db.pool.query(`INSERT INTO events (position, event_id, stream_id, stream_revision, tenant_id, type, schema_version, data, metadata, occurred_at)
      VALUES ((pg_current_xact_id()::text::bigint << 12), gen_random_uuid(), 'test-x', 0, gen_random_uuid(), 'T', 1, '{}', '{}', now())`);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const age = await measureWatermarkAge(db.pool);
    assert.ok(age.holderSeconds >= 1, `holder ${age.holderSeconds}`);
    assert.ok(age.heldBackSeconds >= 1, `held back ${age.heldBackSeconds}`);
    assert.match(await watermarkMetrics(db.pool), /event_log_watermark_age_seconds (1|2)\.\d+/);
  } finally {
    await holder.query('ROLLBACK');
    holder.release();
  }
  assert.equal(await measureWatermarkAge(db.pool), { holderSeconds: 0, heldBackSeconds: 0 });
});

test.run();
