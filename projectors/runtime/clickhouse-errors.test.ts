import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { createClickHouseStore } from '../../infra/analytics/clickhouse-store';
import type { EventEnvelope } from '../../infra/event-store/port';
import { tenantStreamId } from '../../infra/event-store/stream-name';
import { createTestDatabase, type TestDatabase } from '../../infra/postgres/test-database';
import { clickHouseAnalytics } from '../analytics/analytics-projection';
import { applyAnalyticsPartitionBatch } from './analytics-batch';
import { applyOrIsolate } from './poison-isolation';
import { isTransientError } from './transient-errors';

/**
 * A stand-in for a ClickHouse server over HTTP (none runs here), as @clickhouse/client talks to
 * it: it answers the first inserts with what an overloaded server or its proxy answers, then
 * accepts them.
 */
function clickHouseServer(failures: ((response: import('node:http').ServerResponse) => void)[]) {
  const inserted: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      const fail = failures.shift();
      if (fail) return fail(response);
      inserted.push(body);
      response.writeHead(200, { 'content-type': 'text/plain' }).end();
    });
  });
  return { server, inserted };
}
const clickHouseError = (code: number, type: string) => (response: import('node:http').ServerResponse) =>
  response.writeHead(500, { 'x-clickhouse-exception-code': String(code) })
    .end(`Code: ${code}. DB::Exception: the server says no. (${type}) (version 24.8.1.1)`);
const proxy = (status: number, title: string) => (response: import('node:http').ServerResponse) =>
  response.writeHead(status, { 'content-type': 'text/html' }).end(`<html><head><title>${status} ${title}</title></head><body><h1>${status} ${title}</h1></body></html>`);

const test = suite<{ db: TestDatabase }>('ClickHouse errors while projecting');
test.before(async (context) => {
  context.db = await createTestDatabase();
});
test.after(async ({ db }) => db.drop());

const tenantId = uuidv7();
const activity = (position: number): EventEnvelope => ({
  eventId: uuidv7(), type: 'ActivityRecorded', schemaVersion: 1, streamId: tenantStreamId('activity', tenantId, uuidv7()),
  streamRevision: 0, position, tenantId, occurredAt: '2026-03-01T10:00:00.000Z', recordedAt: '2026-03-01T10:00:00.000Z',
  actor: { system: 'test' }, correlationId: 'c', causationId: 'c',
  data: { memberId: uuidv7(), activityType: 'login', occurredAt: '2026-03-01T09:00:00.000Z' },
});

test('timeouts, overloads and 5xx answers of ClickHouse are retried until it accepts, never dead-lettered', async ({ db }) => {
  const { server, inserted } = clickHouseServer([
    clickHouseError(159, 'TIMEOUT_EXCEEDED'), proxy(502, 'Bad Gateway'), clickHouseError(202, 'TOO_MANY_SIMULTANEOUS_QUERIES'),
    proxy(503, 'Service Unavailable'), clickHouseError(241, 'MEMORY_LIMIT_EXCEEDED'), proxy(504, 'Gateway Time-out'),
  ]);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const store = await createClickHouseStore({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/analytics` });
  try {
    const messages = [{ offset: '0', event: activity(4096) }, { offset: '1', event: activity(8192) }];
    const poisoned: number[] = [];
    const retried: string[] = [];
    const checkpoint = await applyOrIsolate(messages, (part) => applyAnalyticsPartitionBatch(store, db.pool, clickHouseAnalytics, 'events', 0, part),
      async (index) => { poisoned.push(index); }, (error) => retried.push((error as Error).message));
    assert.equal(poisoned, [], 'nothing dead-lettered');
    assert.is(retried.length, 6);
    assert.equal(checkpoint, { nextOffset: 2, position: 8192 });
    assert.is(inserted.length, 1, 'the batch, written once it could be');
    assert.is(inserted[0]!.trim().split('\n').length, 2);
  } finally {
    await store.close();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('what ClickHouse says about the rows themselves is not transient: such an event is a poison', () => {
  const error = (code: string, type: string) => Object.assign(new Error(`Code: ${code}. (${type})`), { code, type });
  for (const [code, type] of [['27', 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'], ['53', 'TYPE_MISMATCH'], ['117', 'INCORRECT_DATA']]) {
    assert.not.ok(isTransientError(error(code!, type!)), type);
  }
  for (const [code, type] of [['159', 'TIMEOUT_EXCEEDED'], ['209', 'SOCKET_TIMEOUT'], ['252', 'TOO_MANY_PARTS'], ['60', 'UNKNOWN_TABLE']]) {
    assert.ok(isTransientError(error(code!, type!)), type);
  }
  assert.ok(isTransientError(new Error('Timeout error.')), 'the client\'s own request timeout');
});

test.run();
