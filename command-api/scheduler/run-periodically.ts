import type { Scheduler } from './scheduler';

/**
 * Runs each scheduler task now and then every `intervalMs`, each in its own loop (a slow usage
 * report never delays a suspension), one run of a task at a time. A failed run is passed to
 * `onError` and the next one tries again. `stop` waits for running tasks to end.
 */
export function runPeriodically(scheduler: Scheduler, options: {
  intervalMs: number; clock?: () => Date; onError: (error: unknown) => void;
}) {
  const clock = options.clock ?? (() => new Date());
  let stopped = false;
  const loops = [scheduler.runDueCommands, scheduler.reportUsage, scheduler.purgeExpired].map((task) => {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    const tick = () => {
      running = task(clock()).catch(options.onError).finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
    };
    tick();
    return { stop: () => { clearTimeout(timer); return running; } };
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}
