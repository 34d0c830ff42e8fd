import { execFile } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { eventDefinitions } from '../domain/event-definitions';
import { guardEventStore } from '../infra/event-store/guarded-event-store';
import type { NewEvent } from '../infra/event-store/port';
import { createPostgresEventStore } from '../infra/event-store/postgres-event-store';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { findFreePort } from '../infra/postgres/free-port';
import { createPool } from '../infra/postgres/pool';
import { createTestDatabase, type TestDatabase } from '../infra/postgres/test-database';
import { postgresReadModels } from '../projectors/read-models';
import { deadLetterMetrics, listDeadLetters } from '../projectors/runtime/dead-letters';
import { startLogTail } from '../projectors/runtime/log-tail';
import type { Projection } from '../projectors/runtime/projection';
import { startHarness } from './platform-harness';
import { until } from './until';

const test = suite<{ db: TestDatabase }>('embedded tail: dead letters');
test.before(async (context) => {
  context.db = await createTestDatabase();
});
test.after(async ({ db }) => db.drop());

const tenantId = uuidv7();
const runCommand = (args: string[], env: Record<string, string>) => new Promise<{ code: number; stdout: string }>((resolve) => {
  execFile(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, ...env } }, (error, stdout) =>
    resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }));
});
const event = (type: string, data: unknown): NewEvent => ({
  eventId: uuidv7(), type, schemaVersion: 1, tenantId, occurredAt: '2026-05-01T10:00:00.000Z',
  actor: { system: 'test' }, correlationId: uuidv7(), causationId: uuidv7(), data,
});
const registration = (lastName: string) => {
  const memberId = uuidv7();
  return { stream: tenantStreamId('member', tenantId, memberId), event: event('MemberRegistered', {
    memberId, email: `${lastName}@example.org`, firstName: 'F', lastName, membershipTypeId: null, status: 'active' }) };
};

test('a poison event is set aside: the other events and projections go on, it is recorded, counted and replayable', async ({ db }) => {
  const raw = createPostgresEventStore(db.pool);
  const store = guardEventStore(raw, eventDefinitions);
  await db.pool.query('CREATE TABLE seen_events (position bigint PRIMARY KEY, type text NOT NULL)');
  let broken = true;
  // A read-model projection with a bug for one member, as a bad deployment would have.
  const fragile: Projection = {
    name: 'fragile-read-models',
    project: (e) => (broken && (e.data as { lastName?: string }).lastName === 'Poison'
      ? [{ text: 'SELECT 1/0', values: [] }] : postgresReadModels.project(e)),
  };
  const seen: Projection = { name: 'seen-events', project: (e) => [{ text: 'INSERT INTO seen_events VALUES ($1, $2) ON CONFLICT DO NOTHING', values: [e.position, e.type] }] };
  for (const name of ['Good', 'Poison']) {
    const { stream, event: registered } = registration(name);
    await store.append(stream, [registered], 'no-stream');
  }
  // A stored event this code cannot read (a type since removed): no projection can apply it.
  await raw.append(tenantStreamId('member', tenantId, uuidv7()), [event('NeverDefined', {})], 'no-stream');
  const later = registration('Later');
  await store.append(later.stream, [later.event], 'no-stream');

  const errors: unknown[] = [];
  const tails = [fragile, seen].map((projection) => startLogTail(raw, db.pool, projection, { replayIntervalMs: 100, onError: (e) => errors.push(e) }));
  try {
    const names = async () => (await db.pool.query('SELECT last_name FROM rm_members ORDER BY last_name')).rows.map((r) => r.last_name);
    await until(async () => (await names()).includes('Later'), 'the event after the poison applied', 20_000);
    assert.equal(await names(), ['Good', 'Later']);
    await until(async () => Number((await db.pool.query('SELECT count(*) AS n FROM seen_events')).rows[0].n) === 3, 'the other projection', 20_000);

    const letters = await listDeadLetters(db.pool);
    assert.is(letters.length, 3);
    assert.ok(letters.every((l) => l.source === 'event-log'));
    const reasons = letters.filter((l) => l.projection === 'fragile-read-models').map((l) => l.reason).sort();
    assert.is(reasons.length, 2);
    assert.match(reasons[0]!, 'not a valid event: Unknown event type NeverDefined');
    assert.match(reasons[1]!, 'projection failed twice: division by zero');
    assert.is(letters.filter((l) => l.projection === 'seen-events').length, 1);
    assert.is(tails[0]!.counters.deadLettered, 2);
    const metrics = await deadLetterMetrics(db.pool, tails.map((tail) => tail.source));
    assert.match(metrics, 'projector_dead_lettered_total{projection="fragile-read-models",topic="event-log"} 2');
    assert.match(metrics, 'projector_dead_letters_unreplayed{projection="seen-events",topic="event-log"} 1');

    // The bug is fixed; the operator asks for a replay of the projection's dead letters.
    broken = false;
    const cli = await runCommand(['scripts/rebuild.ts', '--target', 'dead-letters', '--projection', 'fragile-read-models'], { DATABASE_URL: db.url });
    assert.is(cli.code, 1, 'one dead letter could not be replayed');
    assert.match(cli.stdout, 'replay asked for 2 dead letter(s)');
    assert.match(cli.stdout, /#\d+ fragile-read-models \(event-log 0:\d+\): replayed/);
    assert.match(cli.stdout, /#\d+ fragile-read-models \(event-log 0:\d+\): replay failed: not a valid event/);
    assert.equal(await names(), ['Good', 'Later', 'Poison']);
    const requested = letters.filter((l) => l.projection === 'fragile-read-models').map((l) => Number(l.id));
    const after = await listDeadLetters(db.pool, requested);
    assert.equal(after.map((l) => l.replayed_at !== null).sort(), [false, true], 'the poison replayed; the unreadable event still set aside');
    assert.ok(after.some((l) => l.reason.startsWith('replay failed: not a valid event')));
    assert.match(await deadLetterMetrics(db.pool, [tails[0]!.source]), 'projector_dead_letters_unreplayed{projection="fragile-read-models",topic="event-log"} 1');
    assert.is(errors.length, 0);
  } finally {
    for (const tail of tails) await tail.stop();
  }
});

test('a tail started while its database is unreachable reports the failure and rejects nothing unhandled', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const pool = createPool({ connectionString: `postgres://nobody:nothing@127.0.0.1:${await findFreePort()}/none`, max: 2, applicationName: 'unreachable' });
  const errors: unknown[] = [];
  const tail = startLogTail(createPostgresEventStore(pool), pool, postgresReadModels, { replayIntervalMs: 100, onError: (e) => errors.push(e) });
  try {
    await until(async () => errors.length >= 2, 'the tail reporting its failures', 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(unhandled, []);
    assert.match(String((errors[0] as Error).message), 'ECONNREFUSED');
  } finally {
    await tail.stop();
    await pool.end();
    process.off('unhandledRejection', onUnhandled);
  }
});

test('the embedded platform\'s /metrics counts dead letters and shows the watermark\'s age', async () => {
  const h = await startHarness();
  try {
    const response = await h.platform.commandApi.inject({ method: 'GET', url: '/metrics' });
    assert.match(response.body, 'projector_dead_lettered_total{projection="postgres-read-models",topic="event-log"} 0');
    assert.match(response.body, /event_log_watermark_age_seconds [0-9.]+/);
    assert.match(response.body, /event_log_held_back_seconds [0-9.]+/);
  } finally {
    await h.close();
  }
});

test.run();
