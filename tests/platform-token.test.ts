import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { platformScope } from '../infra/auth/jwt';
import { startHarness, testJwtSecret, type Harness } from './platform-harness';
import { runScript } from './run-script';

const tokens = suite<{ h: Harness }>('npm run token');

tokens.before(async (context) => {
  context.h = await startHarness();
});
tokens.after(async ({ h }) => h.close());

async function mint(args: string[]) {
  const run = runScript('scripts/token.ts', args, { JWT_SECRET: testJwtSecret });
  const code = await run.exitWithin(30_000);
  // The token is the last line; a warning would come before it.
  return { code, output: run.output().trim().split('\n').at(-1)!, all: run.output() };
}

tokens('--role platform needs no --tenant: the operator\'s token provisions a tenant, whose owner then works in it', async ({ h }) => {
  const minted = await mint(['--role', 'platform', '--user', 'ops-1']);
  assert.is(minted.code, '0', minted.all);
  assert.not.match(minted.all, 'development secret', 'JWT_SECRET is set');
  assert.equal(await h.platform.tokens.verify(minted.output), { userId: 'ops-1', tenantId: platformScope, roles: ['platform'] });
  const created = await h.command('POST', '/v1/tenants', minted.output, { name: 'Rowing Club', subdomain: 'rowing-cli', plan: 'pro' });
  assert.is(created.status, 201, created.text);
  const owner = await mint(['--tenant', created.body.tenantId, '--role', 'owner']);
  assert.is(owner.code, '0', owner.output);
  const tenant = await h.query('/v1/tenant', owner.output);
  assert.is(tenant.status, 200, tenant.text);
  assert.is(tenant.body.name, 'Rowing Club');
});

tokens('an operator token reaches no tenant\'s data', async ({ h }) => {
  const operator = (await mint(['--role', 'platform'])).output;
  assert.is((await h.query('/v1/members', operator)).status, 403);
  assert.is((await h.command('POST', '/v1/members', operator, { email: 'a@example.org', firstName: 'A', lastName: 'B' })).status, 403);
});

tokens('tenant roles still need --tenant, and no token outlives 24 h', async () => {
  const owner = await mint(['--role', 'owner']);
  assert.is(owner.code, '2');
  assert.match(owner.all, /--tenant <uuid> is required for owner/);
  const long = await mint(['--role', 'platform', '--expires', '2d']);
  assert.is(long.code, '2');
  assert.match(long.all, /at most 24h/);
});

tokens.run();
