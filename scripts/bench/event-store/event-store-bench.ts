import { migrate } from '../../../infra/postgres/migrate';
import { createPool } from '../../../infra/postgres/pool';
import { benchDatabase } from '../bench-database';
import { profilePhase } from '../cpu-profile';
import { measureRawInsertCeiling } from '../raw-insert-ceiling';
import { round } from '../stats';
import { emmettContender, ourContender, type Contender } from './contenders';
import { serverUsage } from './server-usage';
import { workloads, type Workload } from './workloads';

export type EventStoreBenchOptions = {
  concurrency: number; seconds: number; rounds: number; log: (m: string) => void; profileDir?: string;
};

type Phase = { appends: number; events: number; wallMs: number; walBytes: number; serverCpuMs: number | null };

/**
 * Append throughput of our event store against Emmett's PostgreSQL store, in one run on one
 * PostgreSQL, at the same concurrency, for each workload. Rounds alternate which store goes first
 * (ABBA), so drift in the machine's load (shared with others) hits both alike; the figures are
 * sums over rounds. A bare single-row INSERT at the same concurrency gives the floor of WAL and
 * server CPU per event.
 */
export async function runEventStoreBench(options: EventStoreBenchOptions) {
  const { log, concurrency } = options;
  const database = await benchDatabase(log);
  const ourPool = createPool({ connectionString: database.url, max: concurrency, applicationName: 'bench-ours' });
  const emmettPool = createPool({ connectionString: database.url, max: concurrency, applicationName: 'bench-emmett' });
  const adminPool = createPool({ connectionString: database.url, max: 2, applicationName: 'bench-admin', statementTimeoutMs: 0 });
  const barePool = createPool({ connectionString: database.url, max: concurrency, applicationName: 'bench-bare-insert' });
  const contenders = [ourContender(ourPool), emmettContender(database.url, emmettPool)];
  try {
    await migrate(adminPool, { queryRole: 'membership_query' });
    const usage = await serverUsage(adminPool);
    const totals = new Map<string, Phase>();
    for (let round = 0; round < options.rounds; round++) {
      for (const workload of workloads) {
        const order = round % 2 === 0 ? contenders : [...contenders].reverse();
        for (const contender of order) {
          log(`round ${round + 1}/${options.rounds}: ${workload.name}, ${contender.name}`);
          const phase = await measure(workload, contender, usage, options);
          const key = `${workload.name}/${contender.name}`;
          totals.set(key, add(totals.get(key), phase));
        }
      }
    }
    log('bare single-row INSERT, for the floor');
    const bare = await usage.measure(() => measureRawInsertCeiling(barePool, concurrency, phaseMs(options)));
    return report(totals, bare, options, database.embedded);
  } finally {
    for (const contender of contenders) await contender.close().catch(() => undefined);
    await Promise.all([ourPool, emmettPool, adminPool, barePool].map((pool) => pool.end().catch(() => undefined)));
    await database.stop();
  }
}

async function measure(workload: Workload, contender: Contender, usage: Awaited<ReturnType<typeof serverUsage>>, options: EventStoreBenchOptions) {
  const timed = await workload.prepare(contender, options.concurrency);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const { result, walBytes, serverCpuMs } = await usage.measure(() =>
    profilePhase(options.profileDir, `event-store-${workload.name}-${contender.name}`, () => timed(phaseMs(options))));
  return { appends: result.appends, events: result.appends * workload.eventsPerAppend, wallMs: result.wallMs, walBytes, serverCpuMs };
}

/** Each store gets `seconds` per workload, split into `rounds` phases. */
const phaseMs = (options: EventStoreBenchOptions) => (options.seconds * 1000) / options.rounds;

function add(total: Phase | undefined, phase: Phase): Phase {
  if (!total) return phase;
  return {
    appends: total.appends + phase.appends, events: total.events + phase.events, wallMs: total.wallMs + phase.wallMs,
    walBytes: total.walBytes + phase.walBytes,
    serverCpuMs: total.serverCpuMs === null || phase.serverCpuMs === null ? null : total.serverCpuMs + phase.serverCpuMs,
  };
}

type Bare = { result: { commitsPerSecond: number; latencyMs: { count: number } }; walBytes: number; serverCpuMs: number | null };

function report(totals: Map<string, Phase>, bare: Bare, options: EventStoreBenchOptions, embedded: boolean) {
  const figures = (phase: Phase) => ({
    eventsPerSecond: round(phase.events / (phase.wallMs / 1000), 0),
    appendsPerSecond: round(phase.appends / (phase.wallMs / 1000), 0),
    walBytesPerEvent: round(phase.walBytes / phase.events, 0),
    serverCpuUsPerEvent: phase.serverCpuMs === null ? null : round((phase.serverCpuMs * 1000) / phase.events, 1),
  });
  const result: Record<string, unknown> = {};
  for (const workload of workloads) {
    const ours = figures(totals.get(`${workload.name}/ours`)!);
    const emmett = figures(totals.get(`${workload.name}/emmett`)!);
    result[workload.name] = { ours, emmett, ratio: round(ours.eventsPerSecond / emmett.eventsPerSecond, 2) };
  }
  const bareRows = bare.result.latencyMs.count;
  return {
    settings: { concurrency: options.concurrency, secondsPerStoreAndWorkload: options.seconds, rounds: options.rounds, embeddedPostgres: embedded },
    ...result,
    bareInsert: {
      rowsPerSecond: bare.result.commitsPerSecond, walBytesPerRow: round(bare.walBytes / bareRows, 0),
      serverCpuUsPerRow: bare.serverCpuMs === null ? null : round((bare.serverCpuMs * 1000) / bareRows, 1),
    },
    target: 'ours >= 2x emmett events/s on each workload',
  };
}
