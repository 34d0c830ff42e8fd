import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { eventDefinitions } from '../../domain/event-definitions';
import { guardEventStore } from '../../infra/event-store/guarded-event-store';
import type { EventStore, NewEvent } from '../../infra/event-store/port';
import { createPostgresEventStore } from '../../infra/event-store/postgres-event-store';
import { tenantStreamId } from '../../infra/event-store/stream-name';
import { createTestDatabase, type TestDatabase } from '../../infra/postgres/test-database';
import { postgresReadModels } from '../read-models';
import { applyCheckpointedBatch } from './checkpointed-batch';

const test = suite<{ db: TestDatabase; store: EventStore }>('read-model projection: exactly-once effect');
test.before(async (context) => {
  context.db = await createTestDatabase();
  context.store = guardEventStore(createPostgresEventStore(context.db.pool), eventDefinitions);
});
test.after(async ({ db }) => db.drop());

const tenantId = uuidv7();
const event = (type: string, data: unknown): NewEvent => ({
  eventId: uuidv7(), type, schemaVersion: 1, tenantId, occurredAt: '2026-03-01T10:00:00.000Z',
  actor: { system: 'test' }, correlationId: uuidv7(), causationId: uuidv7(), data,
});

async function snapshot(db: TestDatabase) {
  const { rows } = await db.pool.query(`SELECT m.*, a.last_activity_at FROM rm_members m
    LEFT JOIN rm_member_activity a USING (tenant_id, member_id) ORDER BY member_id`);
  return JSON.stringify(rows);
}

test('applying a batch again, or the whole log from the start, leaves the read models unchanged', async ({ db, store }) => {
  const memberId = uuidv7();
  const stream = tenantStreamId('member', tenantId, memberId);
  await store.append(tenantStreamId('tenant', tenantId), [event('TenantCreated', { tenantId, name: 'T', subdomain: 't', plan: 'free' })], 'no-stream');
  await store.append(stream, [
    event('MemberRegistered', { memberId, email: 'x@example.org', firstName: 'X', lastName: 'Y', membershipTypeId: null, status: 'active' }),
    event('MemberSuspended', { reason: 'r' }),
    event('MemberReactivated', {}),
    event('MemberDetailsChanged', { firstName: 'Z' }),
  ], 'no-stream');
  await store.append(tenantStreamId('activity', tenantId, uuidv7()), [
    event('ActivityRecorded', { memberId, activityType: 'login', occurredAt: '2026-02-27T00:00:00.000Z' }),
    event('ActivityRecorded', { memberId, activityType: 'login', occurredAt: '2026-02-20T00:00:00.000Z' }),
  ], 'no-stream');
  const log = await store.readAll(0, { limit: 100 });
  const checkpoint = await applyCheckpointedBatch(db.pool, postgresReadModels, log);
  assert.is(checkpoint, log.at(-1)!.position);
  const once = await snapshot(db);
  const row = JSON.parse(once)[0];
  assert.is(row.status, 'active');
  assert.is(row.first_name, 'Z');
  assert.is(row.revision, 3);
  assert.is(new Date(row.last_activity_at).toISOString(), '2026-02-27T00:00:00.000Z');

  assert.is(await applyCheckpointedBatch(db.pool, postgresReadModels, log), checkpoint, 'redelivered batch: skipped by checkpoint');
  assert.is(await snapshot(db), once);

  // Replay from scratch past the checkpoint: the revision guards and idempotent writes hold.
  await db.pool.query('UPDATE projection_checkpoints SET position = 0');
  await applyCheckpointedBatch(db.pool, postgresReadModels, log);
  assert.is(await snapshot(db), once);
  assert.is(Number((await db.pool.query('SELECT count(*) AS n FROM rm_tenants')).rows[0].n), 1);
});

test('activities applied before their member\'s registration (another Kafka partition) still reach the member row', async ({ db, store }) => {
  const memberId = uuidv7();
  const registration = await store.append(tenantStreamId('member', tenantId, memberId), [
    event('MemberRegistered', { memberId, email: 'early@example.org', firstName: 'E', lastName: 'A', membershipTypeId: null, status: 'active' }),
  ], 'no-stream');
  await store.append(tenantStreamId('activity', tenantId, uuidv7()), [
    event('ActivityRecorded', { memberId, activityType: 'login', occurredAt: '2026-02-25T00:00:00.000Z' }),
  ], 'no-stream');
  const log = (await store.readAll(0, { limit: 1000 })).filter((e) => e.streamId.includes(memberId) || (e.data as { memberId?: string }).memberId === memberId);
  const [registered, activity] = [log.filter((e) => e.position <= registration.position), log.filter((e) => e.position > registration.position)];
  // Two partitions, two checkpoints: the activity's partition is applied first.
  await applyCheckpointedBatch(db.pool, { ...postgresReadModels, name: 'activity-partition' }, activity);
  await applyCheckpointedBatch(db.pool, { ...postgresReadModels, name: 'member-partition' }, registered);
  const { rows } = await db.pool.query('SELECT a.last_activity_at FROM rm_members m JOIN rm_member_activity a USING (tenant_id, member_id) WHERE member_id = $1', [memberId]);
  assert.is(new Date(rows[0].last_activity_at).toISOString(), '2026-02-25T00:00:00.000Z');
});

test('one event per batch and the whole log in one batch build the same read models, counts included', async ({ db, store }) => {
  const log = await store.readAll(0, { limit: 1000 });
  const rebuild = async (name: string, batches: typeof log[]) => {
    await db.pool.query('TRUNCATE rm_members, rm_member_activity, rm_member_counts, rm_tenants');
    for (const batch of batches) await applyCheckpointedBatch(db.pool, { ...postgresReadModels, name }, batch);
    const counts = await db.pool.query('SELECT status, members FROM rm_member_counts ORDER BY status');
    return `${await snapshot(db)} ${JSON.stringify(counts.rows)}`;
  };
  const oneByOne = await rebuild('one-by-one', log.map((event) => [event]));
  assert.is(await rebuild('whole-log', [log]), oneByOne);
  assert.ok(oneByOne.endsWith(`[{"status":"active","members":2}]`), oneByOne);
});

test('a failing batch rolls back both the change and the checkpoint', async ({ db }) => {
  const before = (await db.pool.query('SELECT position FROM projection_checkpoints')).rows[0].position;
  const broken = { name: postgresReadModels.name, project: () => [{ text: 'SELECT 1/0', values: [] }] };
  const fake = { ...(await db.pool.query('SELECT 1')), position: Number.MAX_SAFE_INTEGER } as never;
  const error = await applyCheckpointedBatch(db.pool, broken, [fake]).catch((e) => e);
  assert.instance(error, Error);
  assert.is((await db.pool.query('SELECT position FROM projection_checkpoints')).rows[0].position, before);
});

test.run();
