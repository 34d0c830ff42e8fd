/**
 * Runs every `*.test.ts` with uvu against real engines, and ends with the line `N passed, N failed`.
 *
 * PostgreSQL: `TEST_DATABASE_URL` (a server where the tests may create databases) or, by default,
 * a throw-away embedded PostgreSQL started here and stopped at the end. ClickHouse: the chDB
 * engine in the test process, on a throw-away data directory (TEST_ANALYTICS_PATH).
 * Usage: npm test [-- <part of a test file's path>]
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { startEmbeddedPostgres, type RunningPostgres } from '../infra/postgres/embedded-postgres';
import { findFreePort } from '../infra/postgres/free-port';

const filter = process.argv[2] ?? '';
const pattern = `${filter}.*\\.test\\.ts$`;

async function main() {
  let embedded: RunningPostgres | undefined;
  let code = 1;
  const env = { ...process.env };
  if (!env.TEST_DATABASE_URL) {
    const dataDirectory = `.data/test-postgres-${process.pid}`;
    embedded = await startEmbeddedPostgres({ dataDirectory, port: await findFreePort(), persistent: false });
    env.TEST_DATABASE_URL = embedded.url('postgres');
    console.log('test PostgreSQL: embedded, throw-away');
  }
  // chDB binds one data directory per process: the test process gets its own, removed at the end.
  const analyticsPath = `.data/test-chdb-${process.pid}`;
  env.TEST_ANALYTICS_PATH = analyticsPath;
  try {
    const { output, exitCode } = await runUvu(env);
    const summary = summarise(output, exitCode);
    console.log(`${summary.passed} passed, ${summary.failed} failed`);
    code = summary.failed > 0 || exitCode !== 0 ? 1 : 0;
  } finally {
    await embedded?.stop();
    if (embedded) await rm(`.data/test-postgres-${process.pid}`, { recursive: true, force: true });
    await rm(analyticsPath, { recursive: true, force: true });
  }
  // Exit explicitly: embedded-postgres's exit hook would otherwise end the process with 0 on
  // 'beforeExit', whatever process.exitCode says, and a failed run would pass CI.
  process.exit(code);
}

function runUvu(env: NodeJS.ProcessEnv): Promise<{ output: string; exitCode: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', '.', pattern,
      // Ignore patterns are regular expressions on paths: anchored, so that only the top-level
      // .data directory is skipped, not every test whose path contains "data".
      '-i', 'node_modules', '-i', '^\\.data'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.on('close', (code) => resolve({ output, exitCode: code ?? 1 }));
  });
}

/** uvu prints `Total: N`, `Passed: N`, `Skipped: N`; a crash before the summary counts as a failure. */
function summarise(output: string, exitCode: number) {
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? NaN);
  const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? NaN);
  if (Number.isNaN(total) || Number.isNaN(passed)) return { passed: 0, failed: Math.max(1, exitCode) };
  return { passed, failed: total - passed };
}

await main().catch((error) => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
