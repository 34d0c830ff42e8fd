import { createJsonClient, type JsonReply } from '../load/http-client';
import type { BenchMember } from './bench-members';
import { runOpenLoop } from './open-loop';
import { elapsedMs, round, summarise } from './stats';

export type ReadYourWritesOptions = {
  commandUrl: string; queryUrl: string; members: BenchMember[]; ratePerSecond: number; durationMs: number; run: string;
};

/**
 * Projection lag as a user sees it: an open loop of PATCH /v1/members/:id at a fixed rate, each
 * answered update followed at once by GET /v1/members/:id with `X-Consistency-Position` set to the
 * update's position, so the read waits in the query API until the read models hold the write. The
 * read's latency is that lag plus the read itself. The clients get sockets enough for every request
 * in flight: a socket queue in the load generator would add its own wait to the figures.
 */
export async function measureReadYourWrites(options: ReadYourWritesOptions) {
  return {
    targetPairsPerSecond: options.ratePerSecond,
    members: options.members.length,
    tenants: new Set(options.members.map((m) => m.tenant.tenantId)).size,
    ...await runPairs(options, options.durationMs, 'Ryw'),
  };
}

/**
 * The same load for `warmUpMs` before the measured run, for processes that have served nothing
 * yet: their first seconds are a start-up figure (code interpreted, not yet compiled), reported
 * apart, not a lag users see of a running platform. Its clients are its own and closed after it,
 * so the measured run still opens its connections as new clients do.
 */
export async function warmUpReadYourWrites(options: Omit<ReadYourWritesOptions, 'durationMs'>, warmUpMs: number) {
  const { readLatencyMs, unavailable503, otherFailures, staleReads } = await runPairs(options, warmUpMs, 'Warm');
  return { seconds: warmUpMs / 1000, readLatencyMs, unavailable503, otherFailures, staleReads };
}

/** One open loop of update-then-read pairs, with clients of its own; `label` marks its names. */
async function runPairs(options: Omit<ReadYourWritesOptions, 'durationMs'>, durationMs: number, label: string) {
  const commands = createJsonClient(options.commandUrl, 2048);
  const queries = createJsonClient(options.queryUrl, 2048);
  const readMs: number[] = [];
  const pairMs: number[] = [];
  const unavailable: Record<string, number> = {};
  const otherFailures: Record<string, number> = {};
  let staleReads = 0;
  const fail = (what: string, reply: JsonReply) => {
    const key = `${what} ${reply.status} ${reply.body?.code ?? ''}`.trim();
    const counts = reply.status === 503 ? unavailable : otherFailures;
    counts[key] = (counts[key] ?? 0) + 1;
  };
  const seen = new RegExp(`^${label} \\S+ (\\d+)$`);
  const started = Date.now();
  try {
    const sent = await runOpenLoop(options.ratePerSecond, durationMs, async (n) => {
      // Members in turn, so that two updates of one member are rarely in flight at once.
      const { tenant, memberId } = options.members[n % options.members.length]!;
      const lastName = `${label} ${options.run} ${n}`;
      const pairStart = process.hrtime.bigint();
      const update = await commands.request('PATCH', `/v1/members/${memberId}`, tenant.token, { lastName }).catch(networkFailure);
      if (update.status !== 200) return fail('PATCH', update);
      const readStart = process.hrtime.bigint();
      const read = await queries.request('GET', `/v1/members/${memberId}`, tenant.token, undefined,
        { 'x-consistency-position': String(update.body.position) }).catch(networkFailure);
      readMs.push(elapsedMs(readStart));
      if (read.status !== 200) return fail('GET', read);
      pairMs.push(elapsedMs(pairStart));
      // A later update of the same member may have landed first; an older name is a broken promise.
      const name = seen.exec(String(read.body.lastName));
      if (!name || Number(name[1]) < n) staleReads++;
    });
    const wallS = (Date.now() - started) / 1000;
    return {
      startedPairsPerSecond: round(sent / (durationMs / 1000), 0),
      // Completed pairs over the whole run, the drain after the last start included.
      completedPairsPerSecond: round(pairMs.length / wallS, 0),
      drainS: round(wallS - durationMs / 1000, 1),
      readLatencyMs: summarise(readMs),
      updatePlusReadLatencyMs: summarise(pairMs),
      unavailable503: unavailable,
      otherFailures,
      staleReads,
    };
  } finally {
    commands.close();
    queries.close();
  }
}

/** A refused or reset connection counts as a failure of its own kind, not as a crash of the bench. */
const networkFailure = (error: NodeJS.ErrnoException): JsonReply => ({ status: 0, body: { code: error.code ?? 'network' }, headers: {} });
