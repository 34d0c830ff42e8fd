import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestDatabase, type TestDatabase } from '../../infra/postgres/test-database';
import { measureWatermarkAge, watermarkMetrics } from './watermark-age';

const test = suite<{ db: TestDatabase }>('watermark age');
test.before(async (context) => {
  context.db = await createTestDatabase();
});
test.after(async ({ db }) => db.drop());

// Both figures are server-wide (any database's transaction holds the watermark), and other suites may
// share this server: their short transactions are noise, so "no hold" means under a second, not 0.
async function assertUnheld(pool: TestDatabase['pool']) {
  const age = await measureWatermarkAge(pool);
  assert.ok(age.holderSeconds < 1 && age.heldBackSeconds < 1, `unheld ${JSON.stringify(age)}`);
}

test('an open transaction holding an id shows as the watermark\'s age, and events committed after it as held back', async ({ db }) => {
  await assertUnheld(db.pool);
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
    assert.match(await watermarkMetrics(db.pool), /event_log_watermark_age_seconds [1-9]\d*\.\d+/);
  } finally {
    await holder.query('ROLLBACK');
    holder.release();
  }
  await assertUnheld(db.pool);
});

test.run();
