import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestDatabase, type TestDatabase } from './test-database';
import { createPool } from './pool';
import { isoInstantOfUtcText, utcInstantSql } from './utc-instant';

const test = suite<{ database: TestDatabase }>('instants from PostgreSQL in the form Date#toISOString writes');

test.before(async (context) => {
  context.database = await createTestDatabase();
});
test.after(async ({ database }) => {
  await database.drop();
});

test('every fraction PostgreSQL prints, in any session time zone, reads as toISOString writes the same instant', async ({ database }) => {
  const instants = ['2026-12-04T18:24:18.000Z', '2026-12-04T18:24:18.100Z', '2026-12-04T18:24:18.120Z', '2026-12-04T18:24:18.123Z',
    '2026-03-29T01:30:00.999Z', '1999-12-31T23:59:59.001Z'];
  const client = await database.pool.connect();
  try {
    // A session elsewhere than UTC: the column is converted, not printed in the session's zone.
    await client.query(`SET TIME ZONE 'Pacific/Chatham'`);
    const { rows } = await client.query(`SELECT ${utcInstantSql('t')} AS text, ${utcInstantSql("t + interval '456 microseconds'")} AS finer
      FROM unnest($1::timestamptz[]) AS t`, [instants]);
    assert.equal(rows.map((row) => isoInstantOfUtcText(row.text)), instants);
    // Microseconds are cut, not rounded, as to_char's MS cut them.
    assert.equal(rows.map((row) => isoInstantOfUtcText(row.finer)), instants);
  } finally {
    client.release();
  }
});

test('our pools read instants in the ISO style even where the database is set to another', async ({ database }) => {
  const { rows: [{ name }] } = await database.pool.query('SELECT current_database() AS name');
  await database.pool.query(`ALTER DATABASE "${name}" SET DateStyle = 'SQL, DMY'`);
  const pool = createPool({ connectionString: database.url, max: 1, applicationName: 'utc-instant-test' });
  try {
    const { rows: [row] } = await pool.query(`SELECT current_setting('DateStyle') AS style,
      ${utcInstantSql("timestamptz '2026-12-04 18:24:18.123456+00'")} AS text`);
    assert.match(row.style, /^ISO,/);
    assert.is(isoInstantOfUtcText(row.text), '2026-12-04T18:24:18.123Z');
  } finally {
    await pool.end();
    await database.pool.query(`ALTER DATABASE "${name}" RESET DateStyle`);
  }
});

test('text of another DateStyle is refused, never misread', () => {
  for (const text of ['12/04/2026 18:24:18.123 UTC', 'Fri 04 Dec 18:24:18.123 2026', '04.12.2026 18:24:18', '2026-12-04T18:24:18Z', '2026-12-04 18:24:18.', '0044-03-15 12:00:00.5 BC', '0044-03-15 12:00:00 BC']) {
    assert.throws(() => isoInstantOfUtcText(text), /ISO DateStyle/, text);
  }
});

test.run();
