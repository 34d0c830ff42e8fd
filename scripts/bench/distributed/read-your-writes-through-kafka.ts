import { createJsonClient, type JsonClient } from '../../load/http-client';
import { createBenchMembers } from '../bench-members';
import type { BenchTenant } from '../command-mix';
import { startMemorySampler } from '../memory';
import { measureReadYourWrites, warmUpReadYourWrites } from '../read-your-writes';
import { startMachineShare } from './machine-share';
import type { Pool } from 'pg';

export type DistributedReadYourWritesOptions = {
  client: JsonClient; tenants: BenchTenant[]; ports: { command: number; query: number };
  rate: number; membersPerTenant: number; durationMs: number; run: string; log: (m: string) => void;
  /** The same load before the measured run (warmUpReadYourWrites): the query API has served nothing before this phase. */
  warmUpMs: number;
  /** The role processes (name → pid) and a pool on their database: where the CPU went (machine-share.ts). */
  roles: Record<string, number>; pool: Pick<Pool, 'query'>;
};

/**
 * Read-your-writes in distributed mode, through the query-API process: the write travels command
 * API → event store → publisher → Kafka → projectors, and the read waits in the query API for the
 * projectors' partition checkpoint, as a user's request does. The resident memory of both API
 * processes is sampled during it, and the machine's CPU share of each role, of their PostgreSQL
 * backends and of everything else (on a shared machine, other people's work is in the figures).
 */
export async function measureReadYourWritesThroughKafka(options: DistributedReadYourWritesOptions) {
  const members = await createBenchMembers(options.client, options.tenants, options.membersPerTenant, options.run);
  const queryMetrics = createJsonClient(`http://127.0.0.1:${options.ports.query}`, 2);
  const queryMemory = startMemorySampler(queryMetrics);
  const commandMemory = startMemorySampler(options.client);
  const load = {
    commandUrl: `http://127.0.0.1:${options.ports.command}`, queryUrl: `http://127.0.0.1:${options.ports.query}`,
    members, ratePerSecond: options.rate, run: options.run,
  };
  try {
    options.log(`read-your-writes through the query API at ${options.rate} updates/s (${options.warmUpMs / 1000} s of warm-up first)`);
    const warmUp = options.warmUpMs > 0 ? await warmUpReadYourWrites(load, options.warmUpMs) : undefined;
    // Memory, like CPU, of the measured run only.
    queryMemory.reset();
    commandMemory.reset();
    const share = await startMachineShare(options.roles, options.pool);
    const result = await measureReadYourWrites({ ...load, durationMs: options.durationMs });
    return { ...result, residentMemoryMb: { queryApi: queryMemory.maxMb(), commandApi: commandMemory.maxMb() }, cpu: await share.stop(), warmUp };
  } finally {
    queryMemory.stop();
    commandMemory.stop();
    queryMetrics.close();
  }
}
