import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { v7 as uuidv7 } from 'uuid';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { startHarness, testJwtSecret, type Harness } from './platform-harness';
import { advanceTenantVersions } from '../projectors/runtime/analytics-batch';

type Context = { h: Harness; platformToken: string; tenants: { tenantId: string; owner: string }[]; position: string;
  /** Each tenant waits for its own last position: another tenant's is a 400 (issue 10, item 7). */
  positions: Record<string, string> };
const test = suite<Context>('analytics rebuild: built aside and swapped, while the API serves');
const now = '2026-03-20T12:00:00.000Z';

test.before(async (context) => {
  context.h = await startHarness({ now: () => now });
  context.platformToken = await context.h.token(uuidv7(), ['platform'], 'operator');
  context.tenants = [await context.h.createTenant('Rebuild A'), await context.h.createTenant('Rebuild B')];
  context.positions = {};
  for (const [index, { owner }] of context.tenants.entries()) {
    for (let m = 0; m < 3 + index; m++) {
      const member = await context.h.command('POST', '/v1/members', owner, { email: `m${m}@example.org`, firstName: 'M', lastName: `${m}` });
      const items = Array.from({ length: 5 * (m + 1) }, (_, i) => ({ memberId: member.body.memberId, type: 'login', occurredAt: `2026-03-${String(10 + (i % 9)).padStart(2, '0')}T09:00:00.000Z` }));
      context.positions[owner] = context.position = String((await context.h.command('POST', '/v1/activities', owner, { items })).body.position);
    }
  }
});
test.after(async ({ h }) => h.close());

async function figures(context: Context, owner: string) {
  const headers = { 'x-consistency-position': context.positions[owner]! };
  const [overview, engagement] = await Promise.all([
    context.h.query('/v1/analytics/overview', owner, headers),
    context.h.query('/v1/analytics/engagement?from=2026-03-01&to=2026-03-20&interval=week', owner, headers),
  ]);
  assert.is(overview.status, 200, overview.text);
  return JSON.stringify([overview.body, engagement.body]);
}

async function rebuild(context: Context, tenantId?: string) {
  const started = await context.h.command('POST', '/v1/admin/rebuilds', context.platformToken, { target: 'analytics', ...(tenantId ? { tenantId } : {}) });
  assert.is(started.status, 202, started.text);
  for (;;) {
    const job = await context.h.command('GET', `/v1/admin/rebuilds/${started.body.rebuildId}`, context.platformToken);
    if (job.body.status !== 'running') return job.body;
    // The query API keeps answering during the rebuild.
    assert.is((await context.h.query('/v1/analytics/overview', context.tenants[0]!.owner)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a one-tenant rebuild repairs that tenant\'s figures and leaves the other tenant\'s alone', async (context) => {
  const [a, b] = context.tenants as [Context['tenants'][0], Context['tenants'][0]];
  const [beforeA, beforeB] = [await figures(context, a.owner), await figures(context, b.owner)];
  // A projection bug wrote a fact that no event supports.
  await context.h.platform.analytics!.insert('activity_facts', [{
    tenant_id: a.tenantId, occurred_at: '2026-03-15 10:00:00.000', member_id: uuidv7(), activity_type: 'login', event_id: uuidv7(),
  }]);
  // As a projection's batch would, the tenant's analytics version moves on: cached answers stop.
  await advanceTenantVersions(context.h.platform.writePool, { tenants: [a.tenantId], positions: [0] });
  assert.is.not(await figures(context, a.owner), beforeA);
  const job = await rebuild(context, a.tenantId);
  assert.is(job.status, 'succeeded', job.error);
  assert.is(job.tenantId, a.tenantId);
  assert.is(await figures(context, a.owner), beforeA);
  assert.is(await figures(context, b.owner), beforeB);
});

test('a full rebuild gives the same figures, keeps commands accepted meanwhile, and leaves no aside table', async (context) => {
  const [a] = context.tenants as [Context['tenants'][0]];
  const before = await figures(context, a.owner);
  const started = await context.h.command('POST', '/v1/admin/rebuilds', context.platformToken, { target: 'analytics' });
  assert.is(started.status, 202);
  assert.is((await context.h.command('POST', '/v1/admin/rebuilds', context.platformToken, { target: 'analytics' })).status, 409, 'one rebuild at a time');
  // A member and an activity recorded while the rebuild runs.
  const member = await context.h.command('POST', '/v1/members', a.owner, { email: 'late@example.org', firstName: 'Late', lastName: 'Comer' });
  context.positions[a.owner] = context.position = String((await context.h.command('POST', '/v1/activities', a.owner,
    { items: [{ memberId: member.body.memberId, type: 'login', occurredAt: '2026-03-20T08:00:00.000Z' }] })).body.position);
  for (;;) {
    const job = await context.h.command('GET', `/v1/admin/rebuilds/${started.body.rebuildId}`, context.platformToken);
    if (job.body.status === 'succeeded') break;
    assert.is(job.body.status, 'running', job.text);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const after = JSON.parse(await figures(context, a.owner));
  const earlier = JSON.parse(before);
  assert.is(after[0].totalMembers, earlier[0].totalMembers + 1);
  assert.is(after[1].series.at(-1).activities, earlier[1].series.at(-1).activities + 1);
  const leftovers = await context.h.platform.analytics!.query("SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE '%__rebuild'");
  assert.equal(leftovers, []);
});

test('npm run rebuild drives the running platform\'s rebuild and reports it', async (context) => {
  await context.h.platform.commandApi.listen({ host: '127.0.0.1', port: 0 });
  const { port } = context.h.platform.commandApi.server.address() as AddressInfo;
  const before = await figures(context, context.tenants[1]!.owner);
  // No CLICKHOUSE_URL: the embedded case, where the script asks the running platform (this
  // process: hence an asynchronous child, the platform must keep answering) to rebuild.
  const { CLICKHOUSE_URL: _server, ...environment } = process.env;
  const run = await runScript(['--target', 'analytics', '--tenant', context.tenants[1]!.tenantId],
    { ...environment, COMMAND_API_URL: `http://127.0.0.1:${port}`, JWT_SECRET: testJwtSecret });
  assert.is(run.status, 0, `${run.stderr}\n${run.stdout}`);
  const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
  assert.equal([report.status, report.tenantId], ['succeeded', context.tenants[1]!.tenantId]);
  assert.is(await figures(context, context.tenants[1]!.owner), before);
  const refused = await runScript(['--target', 'everything'], process.env);
  assert.is(refused.status, 2);
  assert.match(refused.stderr, /--target analytics/);
});

test('only the platform operator may rebuild; bad requests are 400', async (context) => {
  const owner = context.tenants[0]!.owner;
  assert.is((await context.h.command('POST', '/v1/admin/rebuilds', owner, { target: 'analytics' })).status, 403);
  assert.is((await context.h.command('POST', '/v1/admin/rebuilds', context.platformToken, { target: 'everything' })).status, 400);
  assert.is((await context.h.command('GET', `/v1/admin/rebuilds/${uuidv7()}`, context.platformToken)).status, 404);
});

function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/rebuild.ts', ...args], { env, encoding: 'utf8', timeout: 120_000 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
  });
}

test.run();
