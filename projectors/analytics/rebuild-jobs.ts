import { randomUUID } from 'node:crypto';

export type RebuildJob = {
  rebuildId: string; target: 'analytics'; tenantId: string | null;
  status: 'running' | 'succeeded' | 'failed';
  position: number; head: number; events: number;
  startedAt: string; finishedAt: string | null; error: string | null;
};

export type RunRebuild = (
  tenantId: string | undefined, onProgress: (position: number, head: number, events: number) => void, signal: AbortSignal,
) => Promise<unknown>;

/**
 * Rebuilds started over HTTP in the embedded process (the only one that may open its chDB
 * directory), one at a time, with their progress kept for whoever polls. The last few are kept.
 */
export function createRebuildJobs(run: RunRebuild) {
  const jobs = new Map<string, RebuildJob>();
  const stopper = new AbortController();
  let running: Promise<unknown> = Promise.resolve();
  return {
    start(tenantId: string | undefined): RebuildJob | 'busy' {
      if ([...jobs.values()].some((job) => job.status === 'running')) return 'busy';
      const job: RebuildJob = {
        rebuildId: randomUUID(), target: 'analytics', tenantId: tenantId ?? null, status: 'running',
        position: 0, head: 0, events: 0, startedAt: new Date().toISOString(), finishedAt: null, error: null,
      };
      jobs.set(job.rebuildId, job);
      for (const old of [...jobs.keys()].slice(0, -10)) jobs.delete(old);
      running = run(tenantId, (position, head, events) => Object.assign(job, { position, head, events }), stopper.signal)
        .then(() => Object.assign(job, { status: 'succeeded', position: job.head }))
        .catch((error: Error) => Object.assign(job, { status: 'failed', error: error.message }))
        .finally(() => Object.assign(job, { finishedAt: new Date().toISOString() }));
      return { ...job };
    },
    /** Stops a running rebuild at its next batch and waits for it: before the analytics store closes. */
    async stop() {
      stopper.abort(new Error('the platform is shutting down'));
      await running;
    },
    get: (rebuildId: string) => {
      const job = jobs.get(rebuildId);
      return job ? { ...job } : undefined;
    },
  };
}

export type RebuildJobs = ReturnType<typeof createRebuildJobs>;
