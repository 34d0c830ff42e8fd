import v8 from 'node:v8';

/**
 * The embedded platform's old-generation growth: a full collection once the heap is 1.5 times what
 * the last one left alive. V8 otherwise picks the factor from its GC and mutator speeds, up to 4 on
 * a machine with this much RAM; with a live heap of 40-80 MB under the command mix (~52 MB in a
 * heap snapshot), 150-300 MB of garbage then waited for the next full collection, a third of the
 * resident memory (issue 10: < 400 MB). A full collection of this heap takes about 10 ms and comes every few seconds under load.
 */
export const embeddedHeapGrowingPercent = 50;

/**
 * Applies the growth from inside the process: V8 reads the flag at every full collection, so this
 * one needs no command-line flag. An operator's own --heap-growing-percent (node's command line or
 * NODE_OPTIONS) is left as given.
 */
export function limitHeapGrowth(percent = embeddedHeapGrowingPercent, given = givenNodeFlags()): boolean {
  if (/--heap[-_]growing[-_]percent/.test(given)) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  return true;
}

/**
 * The young generation's bound, which V8 reads only at start-up, so it is on `npm start`'s command
 * line in package.json (the one other place it is written; the test holds them together; started
 * as `node --import tsx scripts/start.ts` the process keeps V8's default, and on the command line
 * it wins over NODE_OPTIONS): 4 MB semi-spaces, an 8 MB young generation instead of 32 MB. Request state
 * dies young either way; A/B over the bench's command mix and list phases, twice each, showed no
 * throughput difference within the machine's noise (±25 %) and 20-40 MB less resident memory.
 */
export const embeddedSemiSpaceFlag = '--max-semi-space-size=4';

function givenNodeFlags() {
  return `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
}
