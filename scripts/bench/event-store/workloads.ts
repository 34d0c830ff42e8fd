import { benchStreamId, type Contender } from './contenders';
import { runFor } from '../stats';

export type Workload = {
  name: 'newStream' | 'readThenAppend' | 'tenPerAppend';
  eventsPerAppend: number;
  /** Sets up what the timed part needs, then answers the timed part. */
  prepare(contender: Contender, concurrency: number): Promise<(durationMs: number) => Promise<Timed>>;
};

export type Timed = { appends: number; wallMs: number };

const closedLoop = async (concurrency: number, durationMs: number, step: (worker: number) => Promise<void>) => {
  let appends = 0;
  const wallMs = await runFor(durationMs, concurrency, async (worker) => {
    await step(worker);
    appends += 1;
  });
  return { appends, wallMs };
};

/**
 * Each appender writes its own streams, so no two race on one, and moves to a new stream once one
 * holds this many events: every store reads streams of the same lengths, however fast it appends.
 */
const eventsPerStream = 10;

const toNewStreams = (name: Workload['name'], count: number): Workload => ({
  name, eventsPerAppend: count,
  prepare: async (contender, concurrency) => (durationMs) =>
    closedLoop(concurrency, durationMs, () => contender.appendToNewStream(benchStreamId(), count)),
});

const readThenAppend: Workload = {
  name: 'readThenAppend', eventsPerAppend: 1,
  prepare: async (contender, concurrency) => {
    const streams = Array.from({ length: concurrency }, () => ({ id: benchStreamId(), events: 0 }));
    return (durationMs) => closedLoop(concurrency, durationMs, async (worker) => {
      const stream = streams[worker]!;
      await contender.readThenAppend(stream.id);
      if (++stream.events === eventsPerStream) streams[worker] = { id: benchStreamId(), events: 0 };
    });
  },
};

export const workloads: Workload[] = [toNewStreams('newStream', 1), readThenAppend, toNewStreams('tenPerAppend', 10)];
