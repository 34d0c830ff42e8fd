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
  const started = Date.now();
  try {
    const sent = await runOpenLoop(options.ratePerSecond, options.durationMs, async (n) => {
      // Members in turn, so that two updates of one member are rarely in flight at once.
      const { tenant, memberId } = options.members[n % options.members.length]!;
      const lastName = `Ryw ${options.run} ${n}`;
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
      const seen = /^Ryw \S+ (\d+)$/.exec(String(read.body.lastName));
      if (!seen || Number(seen[1]) < n) staleReads++;
    });
    const wallS = (Date.now() - started) / 1000;
    return {
      targetPairsPerSecond: options.ratePerSecond,
      members: options.members.length,
      tenants: new Set(options.members.map((m) => m.tenant.tenantId)).size,
      startedPairsPerSecond: round(sent / (options.durationMs / 1000), 0),
      // Completed pairs over the whole run, the drain after the last start included.
      completedPairsPerSecond: round(pairMs.length / wallS, 0),
      drainS: round(wallS - options.durationMs / 1000, 1),
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
