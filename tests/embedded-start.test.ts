import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findFreePort } from '../infra/postgres/free-port';

type Started = { child: ChildProcess; output: () => string; token: string };

async function startPlatform(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!/export TOKEN=(\S+)/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output, token: /export TOKEN=(\S+)/.exec(output)![1]! };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

/** True while any process still has the data directory on its command line. */
function processesUsing(dataDir: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ps = spawn('ps', ['-eo', 'args'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    ps.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    ps.on('close', () => resolve(text.split('\n').some((line) => line.includes(dataDir) && !line.includes('ps -eo'))));
  });
}

test('npm start: demo tenant and token, Ctrl-C stops PostgreSQL with it, and a second start reuses the data', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'membership-start-'));
  await chmod(dataDir, 0o755); // as root, PostgreSQL runs as its own user and must reach the folder
  const [commandPort, queryPort, postgresPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env, DATA_DIR: dataDir, COMMAND_API_PORT: String(commandPort), QUERY_API_PORT: String(queryPort),
    EMBEDDED_POSTGRES_PORT: String(postgresPort), LOG_LEVEL: 'warn', DATABASE_URL: '', JWT_SECRET: '', QUERY_DB_PASSWORD: '',
  };
  for (const key of ['DATABASE_URL', 'JWT_SECRET', 'QUERY_DB_PASSWORD', 'QUERY_DATABASE_URL']) delete env[key];
  try {
    const first = await startPlatform(env);
    assert.match(first.output(), 'DEVELOPMENT SECRETS');
    assert.match(first.output(), '(provisioned now)');
    assert.match(first.output(), 'whsec_development_only', 'billing runs on the local Stripe stand-in and says so');
    const created = await fetch(`http://127.0.0.1:${commandPort}/v1/members`, {
      method: 'POST', headers: { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'kept@example.org', firstName: 'Kept', lastName: 'Across restarts' }),
    });
    assert.is(created.status, 201);
    const { memberId, position } = (await created.json()) as { memberId: string; position: number };
    const read = await fetch(`http://127.0.0.1:${queryPort}/v1/members/${memberId}`, {
      headers: { authorization: `Bearer ${first.token}`, 'x-consistency-position': String(position) },
    });
    assert.is(read.status, 200);
    assert.is(await stop(first.child), 0);
    assert.is(await processesUsing(dataDir), false, 'no PostgreSQL left running');

    const second = await startPlatform(env);
    assert.not.match(second.output(), '(provisioned now)');
    const again = await fetch(`http://127.0.0.1:${queryPort}/v1/members/${memberId}`, { headers: { authorization: `Bearer ${second.token}` } });
    assert.is(again.status, 200);
    assert.is(((await again.json()) as { email: string }).email, 'kept@example.org');
    assert.is(await stop(second.child), 0);
    assert.is(await processesUsing(dataDir), false);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test.run();
