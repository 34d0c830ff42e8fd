import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';

export const roleEntryPoints = {
  'command-api': 'command-api/main.ts',
  'query-api': 'query-api/main.ts',
  publisher: 'projectors/publisher/main.ts',
  projectors: 'projectors/main.ts',
  scheduler: 'command-api/scheduler/main.ts',
} as const;

export type RoleName = keyof typeof roleEntryPoints;

export type RoleProcess = {
  role: RoleName;
  pid: number;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<string>;
  kill: (signal: NodeJS.Signals) => Promise<string>;
};

/**
 * Starts a role exactly as `npm run start:<role>` does, but as a direct child of node (no npm or
 * tsx wrapper in between), so that its pid is the process a signal must reach: kill -9 hits the
 * role itself. Output goes to `logFile`; `nodeArgs` go to node (e.g. --cpu-prof for a benchmark).
 */
export function startRole(role: RoleName, env: NodeJS.ProcessEnv, logFile: string, nodeArgs: string[] = []): RoleProcess {
  const log = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', roleEntryPoints[role]], {
    env: { ...process.env, ...env }, stdio: ['ignore', log, log],
  });
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? String(code))));
  return {
    role,
    pid: child.pid!,
    exited,
    kill: async (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}

/** Reads one gauge from a role's /metrics; undefined while the process is not serving. */
export async function readGauge(port: number, name: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Waits until a role serves its /metrics (it has connected to everything and joined its group). */
export async function waitUntilServing(port: number, gauge: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (await readGauge(port, gauge) === undefined) {
    if (Date.now() > deadline) throw new Error(`nothing serves ${gauge} on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

