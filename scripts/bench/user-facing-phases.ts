import type { JsonClient } from '../load/http-client';
import { measureAnalyticsRoutes } from './analytics/analytics-routes';
import { seedAnalyticsThroughApi } from './analytics/seed-through-api';
import { createBenchMembers } from './bench-members';
import type { BenchTenant } from './command-mix';
import type { startMemorySampler } from './memory';
import { measureReadYourWrites } from './read-your-writes';

export type UserFacingOptions = {
  commandClient: JsonClient; queryClient: JsonClient; commandUrl: string; queryUrl: string;
  tenants: BenchTenant[]; membersPerTenant: number; rywRate: number; activities: number; analyticsClients: number;
  durationMs: number; run: string; memory: ReturnType<typeof startMemorySampler>; log: (m: string) => void;
};

/**
 * The default run's phases measured from outside, as users meet the platform (issue 10): updates
 * each followed by a read of its own write, then analytics dashboards under concurrent clients,
 * each with the platform's resident memory during it.
 */
export async function measureUserFacingPhases(options: UserFacingOptions) {
  const { log, memory } = options;
  log(`creating ${options.membersPerTenant} members in each of ${options.tenants.length} tenants`);
  const members = await createBenchMembers(options.commandClient, options.tenants, options.membersPerTenant, options.run);
  log(`read-your-writes: ${options.rywRate} updates/s, each followed by its read`);
  memory.reset();
  const readYourWrites = await measureReadYourWrites({
    commandUrl: options.commandUrl, queryUrl: options.queryUrl, members, ratePerSecond: options.rywRate, durationMs: options.durationMs, run: options.run,
  });
  const rywRssMb = memory.maxMb();
  log(`seeding analytics through the API: subscriptions and ${options.activities} activities`);
  await seedAnalyticsThroughApi(options.commandClient, options.queryClient, members, options.activities, log);
  log(`analytics routes under ${options.analyticsClients} concurrent clients`);
  memory.reset();
  const analytics = await measureAnalyticsRoutes(options.queryClient, options.tenants, options.analyticsClients, options.durationMs);
  return {
    readYourWrites: { ...readYourWrites, platformResidentMemoryMb: rywRssMb },
    analyticsRoutes: {
      data: { tenants: options.tenants.length, members: members.length, subscriptions: Math.ceil(members.length / 2), activities: options.activities },
      ...analytics,
      platformResidentMemoryMb: memory.maxMb(),
    },
  };
}

export const userFacingTargets = {
  readYourWrites: 'at 500 updates/s each followed by its read with X-Consistency-Position: read p99 <= 200 ms, no 503',
  analyticsRoutes: 'p99 <= 200 ms per route under 16 concurrent clients of mixed routes',
  analyticsRoutesMemory: '< 400 MB resident under that load (embedded, chDB loaded)',
};
