import type { JsonClient } from '../../load/http-client';
import type { BenchTenant } from '../command-mix';
import { elapsedMs, round, runFor, summarise } from '../stats';

const isoDay = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().slice(0, 10);
const days = (n: number) => n * 86_400_000;

/** What an analytics dashboard asks for: the overview, the last 30 days, the last year. */
function routeMix() {
  const today = isoDay(0);
  const month = `from=${isoDay(days(29))}&to=${today}`;
  const year = `from=${isoDay(days(365))}&to=${today}`;
  return [
    { route: 'overview', url: '/v1/analytics/overview' },
    { route: 'engagement', url: `/v1/analytics/engagement?${month}&interval=day` },
    { route: 'retention', url: `/v1/analytics/retention?${year}&mode=on` },
    { route: 'revenue', url: `/v1/analytics/revenue?${year}` },
    { route: 'engagement', url: `/v1/analytics/engagement?${month}&interval=week` },
    { route: 'retention', url: `/v1/analytics/retention?${year}&mode=on_or_after` },
  ];
}

/**
 * Closed-loop clients, each an analyst of one tenant going round the analytics routes (each client
 * starts at a different one, so every route is always in the mix), for `durationMs`.
 */
export async function measureAnalyticsRoutes(client: JsonClient, tenants: BenchTenant[], concurrency: number, durationMs: number) {
  const mix = routeMix();
  const latencies: Record<string, number[]> = Object.fromEntries(mix.map(({ route }) => [route, []]));
  const all: number[] = [];
  const failures: Record<string, number> = {};
  const step = Array.from({ length: concurrency }, (_, worker) => worker);
  const wallMs = await runFor(durationMs, concurrency, async (worker) => {
    const { route, url } = mix[step[worker]!++ % mix.length]!;
    const start = process.hrtime.bigint();
    const reply = await client.request('GET', url, tenants[worker % tenants.length]!.token);
    const ms = elapsedMs(start);
    latencies[route]!.push(ms);
    all.push(ms);
    if (reply.status !== 200) {
      const key = `${route} ${reply.status} ${reply.body?.code ?? ''}`.trim();
      failures[key] = (failures[key] ?? 0) + 1;
    }
  });
  return {
    concurrency,
    tenants: Math.min(tenants.length, concurrency),
    requestsPerSecond: round(all.length / (wallMs / 1000), 0),
    latencyMs: summarise(all),
    byRouteMs: Object.fromEntries(Object.entries(latencies).map(([route, samples]) => [route, summarise(samples)])),
    failures,
  };
}
