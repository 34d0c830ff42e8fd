import type { Scheduler } from './scheduler';

/**
 * Runs the scheduler now and then every `intervalMs` (one run at a time; a run that fails is
 * logged and the next one tries again). `stop` waits for a running pass to end.
 */
export function runPeriodically(scheduler: Scheduler, options: {
  intervalMs: number; clock?: () => Date; onError: (error: unknown) => void;
}) {
  const clock = options.clock ?? (() => new Date());
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = scheduler.runOnce(clock()).catch(options.onError).finally(() => {
      if (!stopped) timer = setTimeout(tick, options.intervalMs);
    });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
