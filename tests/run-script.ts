import { spawn } from 'node:child_process';
import { configVariableNames } from '../infra/config/config';

export type ScriptRun = {
  output: () => string;
  /** The exit code, or the signal's name. */
  exited: Promise<string>;
  /** The exit code once it exits by itself; after `ms`, it is stopped and this says 'still running'. */
  exitWithin: (ms?: number) => Promise<string>;
  /** Resolves true once the output matches, false if the process exits (or `ms` pass) first. */
  waitFor: (pattern: RegExp, ms?: number) => Promise<boolean>;
  stop: () => Promise<string>;
};

/** Settings of the test process that would leak into a script's configuration: all the schema reads. */
const inherited = configVariableNames;

/** Runs a TypeScript entry point as `npm run` does (node + tsx), with only `env` as its configuration. */
export function runScript(entryPoint: string, args: string[], env: Record<string, string>): ScriptRun {
  const base = { ...process.env };
  for (const name of inherited) delete base[name];
  const child = spawn(process.execPath, ['--import', 'tsx', entryPoint, ...args], {
    env: { ...base, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<string>((resolve) => child.on('close', (code, signal) => resolve(signal ?? String(code))));
  let done = false;
  void exited.then(() => (done = true));
  return {
    output: () => output,
    exited,
    async waitFor(pattern, ms = 60_000) {
      const deadline = Date.now() + ms;
      while (!pattern.test(output)) {
        if (done || Date.now() > deadline) return pattern.test(output);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return true;
    },
    async exitWithin(ms = 60_000) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)));
      const outcome = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (outcome === 'still running') await this.stop();
      return outcome;
    },
    async stop() {
      if (!done) child.kill('SIGTERM');
      return exited;
    },
  };
}
