import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startHarness, type Harness } from './platform-harness';

/**
 * A bulk action that fails half-way on an infrastructure error (here: the database refusing one
 * member's append) is finished by the same request with the same Idempotency-Key: the members
 * already changed are reported once, as changed, and are not changed again.
 */
const test = suite<{ h: Harness }>('bulk actions resume after an infrastructure error');
test.before(async (context) => {
  context.h = await startHarness();
  // The test's stand-in for a failing disk or connection: appends to the listed streams fail.
  await context.h.database.pool.query(`
    CREATE TABLE failing_streams (stream_id text PRIMARY KEY);
    CREATE FUNCTION fail_listed_streams() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM failing_streams WHERE stream_id = NEW.stream_id) THEN
        RAISE EXCEPTION 'injected failure' USING ERRCODE = 'io_error';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER fail_listed_streams BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION fail_listed_streams();`);
});
test.after(async ({ h }) => h.close());

test('the retry with the same key finishes the rest and reports every member exactly once', async ({ h }) => {
  const { owner } = await h.createTenant('Bulk club', 'enterprise');
  const memberIds: string[] = [];
  for (let i = 0; i < 10; i++) {
    const reply = await h.command('POST', '/v1/members', owner, { email: `bulk${i}@example.org`, firstName: 'B', lastName: `${i}` });
    memberIds.push(reply.body.memberId);
  }
  const { rows } = await h.database.pool.query(`SELECT stream_id FROM events WHERE type = 'MemberRegistered' AND data->>'memberId' = $1`, [memberIds[6]]);
  await h.database.pool.query('INSERT INTO failing_streams VALUES ($1)', [rows[0].stream_id]);
  const body = { action: 'suspend', memberIds, reason: 'dues unpaid' };
  const failed = await h.command('POST', '/v1/members/bulk', owner, body, { 'idempotency-key': 'bulk-1' });
  assert.ok(failed.status >= 500, `answered ${failed.status}`);
  assert.is(await suspensions(h, memberIds), 6, 'the members before the failing one changed');

  await h.database.pool.query('DELETE FROM failing_streams');
  const finished = await h.command('POST', '/v1/members/bulk', owner, body, { 'idempotency-key': 'bulk-1' });
  assert.is(finished.status, 200);
  assert.equal(finished.body.results.map((r: { memberId: string }) => r.memberId), memberIds, 'each member once, in order');
  assert.ok(finished.body.results.every((r: { ok: boolean }) => r.ok), JSON.stringify(finished.body.results));
  assert.is(await suspensions(h, memberIds), 10, 'each member suspended exactly once');
  const replay = await h.command('POST', '/v1/members/bulk', owner, body, { 'idempotency-key': 'bulk-1' });
  assert.equal(replay.body, finished.body);
});

async function suspensions(h: Harness, memberIds: string[]) {
  const { rows } = await h.database.pool.query(
    `SELECT count(*)::int AS n FROM events e WHERE e.type = 'MemberSuspended' AND e.stream_id IN
       (SELECT stream_id FROM events WHERE type = 'MemberRegistered' AND data->>'memberId' = ANY($1))`, [memberIds]);
  return rows[0].n as number;
}

test.run();
