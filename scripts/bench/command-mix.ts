import type { JsonClient } from '../load/http-client';
import { elapsedMs, round, runFor, summarise } from './stats';

export type BenchTenant = { tenantId: string; token: string; membershipTypeId: string };

type Pools = { active: string[]; suspended: string[] };

/**
 * Closed-loop command load over many tenants: create 40 %, update 20 %, suspend 20 %,
 * reactivate 20 % (a worker creates members first when it has none to act on).
 */
export async function measureCommandMix(client: JsonClient, tenants: BenchTenant[], concurrency: number, durationMs: number, run: string) {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const pools: Pools[] = Array.from({ length: concurrency }, () => ({ active: [], suspended: [] }));
  let created = 0;
  const wallMs = await runFor(durationMs, concurrency, async (worker) => {
    const tenant = tenants[worker % tenants.length]!;
    const pool = pools[worker]!;
    const roll = Math.random();
    const start = process.hrtime.bigint();
    let reply;
    if (roll < 0.4 || pool.active.length < 2) {
      const n = created++;
      reply = await client.request('POST', '/v1/members', tenant.token,
        { email: `bench-${run}-${worker}-${n}@example.org`, firstName: 'Bench', lastName: `Member ${n}`, membershipTypeId: tenant.membershipTypeId });
      if (reply.status === 201) pool.active.push(reply.body.memberId);
    } else if (roll < 0.6) {
      const memberId = pool.active[Math.floor(Math.random() * pool.active.length)]!;
      reply = await client.request('PATCH', `/v1/members/${memberId}`, tenant.token, { lastName: `Renamed ${Math.random().toString(36).slice(2, 8)}` });
    } else if (roll < 0.8 || pool.suspended.length === 0) {
      const memberId = pool.active.pop()!;
      reply = await client.request('POST', `/v1/members/${memberId}/suspend`, tenant.token, { reason: 'benchmark' });
      (reply.status === 200 ? pool.suspended : pool.active).push(memberId);
    } else {
      const memberId = pool.suspended.pop()!;
      reply = await client.request('POST', `/v1/members/${memberId}/reactivate`, tenant.token);
      (reply.status === 200 ? pool.active : pool.suspended).push(memberId);
    }
    latencies.push(elapsedMs(start));
    if (reply.status >= 300) failures[String(reply.status)] = (failures[String(reply.status)] ?? 0) + 1;
  });
  return {
    concurrency,
    tenants: tenants.length,
    durationS: round(wallMs / 1000, 1),
    commandsPerSecond: round(latencies.length / (wallMs / 1000), 0),
    latencyMs: summarise(latencies),
    failures,
  };
}
