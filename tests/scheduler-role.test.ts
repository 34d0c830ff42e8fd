import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestDatabase, testQueryRole, type TestDatabase } from '../infra/postgres/test-database';
import { readGauge, startRole, type RoleProcess } from '../scripts/platform/role-process';
import { freePort, waitUntilServing } from './distributed/scenario';
import { until } from './until';

type Context = { database: TestDatabase; logDir: string; schedulers: { role: RoleProcess; port: number }[] };

/** `npm run start:scheduler` as an operator runs it: several instances, one active at a time. */
const test = suite<Context>('scheduler role');

test.before(async (context) => {
  context.database = await createTestDatabase();
  context.logDir = await mkdtemp(path.join(tmpdir(), 'scheduler-'));
  context.schedulers = [];
  for (const name of ['a', 'b']) {
    const port = await freePort();
    const role = startRole('scheduler', {
      DATABASE_URL: context.database.url, QUERY_DB_ROLE: testQueryRole.queryRole, SCHEDULER_PORT: String(port),
      SCHEDULER_INTERVAL_MS: '200', LOG_LEVEL: 'warn',
    }, path.join(context.logDir, `${name}.log`));
    context.schedulers.push({ role, port });
  }
  for (const { port } of context.schedulers) await waitUntilServing(port, 'scheduler_active');
});

test.after(async (context) => {
  await Promise.all(context.schedulers.map(({ role }) => role.kill('SIGTERM')));
  await rm(context.logDir, { recursive: true, force: true });
  await context.database.drop();
});

const active = async (port: number) => readGauge(port, 'scheduler_active');

test('one instance is active and runs; when it dies, the one standing by takes over', async ({ schedulers }) => {
  await until(async () => (await active(schedulers[0]!.port)) === 1 || (await active(schedulers[1]!.port)) === 1, 'an active scheduler', 20_000);
  const states = await Promise.all(schedulers.map(({ port }) => active(port)));
  assert.equal([...states].sort(), [0, 1], 'exactly one active');
  const leader = schedulers[states.indexOf(1)]!;
  const standBy = schedulers[states.indexOf(0)]!;
  await until(async () => ((await readGauge(leader.port, 'scheduler_runs_total')) ?? 0) > 2, 'runs of the active scheduler', 20_000);
  assert.is(await readGauge(standBy.port, 'scheduler_runs_total'), 0, 'the one standing by runs nothing');
  await leader.role.kill('SIGKILL');
  await until(async () => (await active(standBy.port)) === 1, 'the stand-by taking over', 30_000);
  await until(async () => ((await readGauge(standBy.port, 'scheduler_runs_total')) ?? 0) > 0, 'runs after the takeover', 20_000);
  schedulers.splice(schedulers.indexOf(leader), 1);
});

test.run();
