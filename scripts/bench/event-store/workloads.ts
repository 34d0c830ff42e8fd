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

/** Streams each appender owns for read-then-append: no two appenders race on one stream. */
const streamsPerAppender = 20;

const toNewStreams = (name: Workload['name'], count: number): Workload => ({
  name, eventsPerAppend: count,
  prepare: async (contender, concurrency) => (durationMs) =>
    closedLoop(concurrency, durationMs, () => contender.appendToNewStream(benchStreamId(), count)),
});

const readThenAppend: Workload = {
  name: 'readThenAppend', eventsPerAppend: 1,
  prepare: async (contender, concurrency) => {
    // Each store gets its own streams, which start with one event and grow as the phase goes.
    const owned = Array.from({ length: concurrency }, () => Array.from({ length: streamsPerAppender }, benchStreamId));
    for (const streams of owned) await Promise.all(streams.map((streamId) => contender.appendToNewStream(streamId, 1)));
    const next = Array.from({ length: concurrency }, () => 0);
    return (durationMs) => closedLoop(concurrency, durationMs, (worker) =>
      contender.readThenAppend(owned[worker]![next[worker]!++ % streamsPerAppender]!));
  },
};

export const workloads: Workload[] = [toNewStreams('newStream', 1), readThenAppend, toNewStreams('tenPerAppend', 10)];
