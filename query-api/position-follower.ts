/**
 * One follower per projection and process: however many requests wait for X-Consistency-Position,
 * where the projection stands is read once per tick (`read`, one query), sooner when a
 * notification says it moved (`readSoon`), or pushed by the projection itself when it runs in
 * this process (`advance`), and every waiter whose position is reached is woken. The waiters of one tenant are bounded, so that one tenant cannot hold the
 * process's memory and timers.
 */
export type PositionFollowerOptions<Progress> = {
  /** Where the projection stands now: one query, whatever the number of waiters. */
  read: () => Promise<Progress>;
  /** The more advanced of two readings (a push can overtake a read in flight). */
  newest: (a: Progress, b: Progress) => Progress;
  /**
   * How often `read` runs while a request waits; it does not run while none does. A function when
   * it depends on whether the projection's progress is pushed meanwhile (then reading is a fallback).
   */
  pollMs: number | (() => number);
  maxWaitersPerTenant: number;
  onError?: (error: unknown) => void;
};

export type WaitOutcome = 'reached' | 'timeout' | 'overloaded';

/** The least time between two readings asked for by readSoon: however often notices come, readings stay bounded. */
const minReadGapMs = 5;
const pauseMs = (pollMs: PositionFollowerOptions<unknown>['pollMs']) => (typeof pollMs === 'number' ? pollMs : pollMs());

type Waiter<Progress> = { reached: (progress: Progress) => boolean; done: (outcome: WaitOutcome) => void };

export function createPositionFollower<Progress>(options: PositionFollowerOptions<Progress>) {
  let latest: Progress | undefined;
  const waiters = new Map<string, Set<Waiter<Progress>>>();
  let waiting = 0;
  let polling = false;
  let reads = 0;
  let wake: ((soon?: 'soon') => void) | undefined;
  // A readSoon that came while a reading was in flight: the pause after it is the short one.
  let soon = false;
  let lastReadAt = 0;

  const remove = (tenantId: string, waiter: Waiter<Progress>) => {
    const ofTenant = waiters.get(tenantId);
    if (!ofTenant?.delete(waiter)) return false;
    waiting -= 1;
    if (ofTenant.size === 0) waiters.delete(tenantId);
    if (waiting === 0) wake?.(); // the loop ends now rather than after its pause
    return true;
  };

  const advance = (progress: Progress) => {
    latest = latest === undefined ? progress : options.newest(latest, progress);
    for (const [tenantId, ofTenant] of waiters) {
      for (const waiter of ofTenant) {
        if (waiter.reached(latest) && remove(tenantId, waiter)) waiter.done('reached');
      }
    }
  };

  // Runs while anyone waits; a new waiter never triggers a read of its own, it waits for the tick.
  const poll = async () => {
    polling = true;
    soon = false;
    try {
      while (waiting > 0) {
        try {
          reads += 1;
          lastReadAt = Date.now();
          advance(await options.read());
        } catch (error) {
          options.onError?.(error);
        }
        if (waiting > 0) {
          await new Promise<void>((resolve) => {
            const untilSoon = () => Math.max(0, lastReadAt + minReadGapMs - Date.now());
            let timer = setTimeout(resolve, soon ? untilSoon() : pauseMs(options.pollMs));
            soon = false;
            wake = (why) => {
              clearTimeout(timer);
              if (why === 'soon') timer = setTimeout(resolve, untilSoon());
              else resolve();
            };
          });
          wake = undefined;
        }
      }
    } finally {
      polling = false;
    }
  };

  return {
    /** Resolves when `reached` holds for the projection's progress, or with why it gave up. */
    waitUntil(tenantId: string, reached: (progress: Progress) => boolean, timeoutMs: number): Promise<WaitOutcome> {
      // Progress only grows: what an earlier reading already shows needs no wait.
      if (latest !== undefined && reached(latest)) return Promise.resolve('reached');
      const ofTenant = waiters.get(tenantId) ?? new Set<Waiter<Progress>>();
      if (ofTenant.size >= options.maxWaitersPerTenant) return Promise.resolve('overloaded');
      waiters.set(tenantId, ofTenant);
      return new Promise<WaitOutcome>((resolve) => {
        const timer = setTimeout(() => {
          if (remove(tenantId, waiter)) resolve('timeout');
        }, timeoutMs);
        const waiter: Waiter<Progress> = { reached, done: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        } };
        ofTenant.add(waiter);
        waiting += 1;
        if (!polling) void poll();
      });
    },
    /** Pushed by a projection running in this process, after it committed. */
    advance,
    /**
     * Something may have moved (a notification, which anyone connected may forge): read where the
     * projection stands as soon as the gap since the last reading allows, instead of after the
     * pause. Only a reading advances the waiters.
     */
    readSoon() {
      if (wake) wake('soon');
      else soon = true;
    },
    /** Where the projection stood at the last reading or push (undefined before the first). */
    latest: () => latest,
    /** For /metrics and tests: how many requests wait, and how many readings were made. */
    stats: () => ({ waiting, reads }),
  };
}

export type PositionFollower<Progress> = ReturnType<typeof createPositionFollower<Progress>>;
