import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { findFreePort } from '../postgres/free-port';
import { createRedisClient } from './redis-client';

export type TestRedisServer = {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then waits for it to exit): "Redis down". */
  stop: () => Promise<void>;
  /** Starts it again on the same port, empty. */
  start: () => Promise<void>;
};

/** Whether Debian's `redis-server` is installed (`.ci/run` installs it when missing). */
export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * For tests: a throw-away `redis-server` of our own on a free loopback port, without persistence,
 * that the test can stop and start again. A missing binary is always an error, never a skip
 * (`.ci/run` installs it): Redis is one of the engines the tests must run against.
 */
export async function startTestRedisServer(): Promise<TestRedisServer> {
  if (!redisServerAvailable()) throw new Error('redis-server is not installed (Debian package redis-server)');
  const port = await findFreePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child && child.exitCode === null) throw new Error('this test redis-server is already running');
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' });
    // A test that crashes must not leave a password-less server behind.
    const started = child;
    process.once('exit', () => started.kill('SIGKILL'));
    await untilPingAnswers(url);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return { url, port, stop, start };
}

async function untilPingAnswers(url: string) {
  const client = createRedisClient(url, { name: 'test-readiness' });
  try {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (await client.ping().then(() => true, () => false)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server did not answer on ${url}`);
  } finally {
    client.disconnect();
  }
}
