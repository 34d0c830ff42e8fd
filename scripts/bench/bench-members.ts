import { forEachConcurrently, type JsonClient } from '../load/http-client';
import type { BenchTenant } from './command-mix';

export type BenchMember = { tenant: BenchTenant; memberId: string };

/**
 * `perTenant` members in each tenant, created through the command API, returned interleaved
 * (tenant 0, 1, …, 0, 1, …) so that taking them in turn spreads load over every tenant.
 */
export async function createBenchMembers(client: JsonClient, tenants: BenchTenant[], perTenant: number, run: string) {
  const slots = Array.from({ length: tenants.length * perTenant }, (_, n) => n);
  const members: BenchMember[] = new Array(slots.length);
  await forEachConcurrently(slots, 32, async (n) => {
    const tenant = tenants[n % tenants.length]!;
    const reply = await client.request('POST', '/v1/members', tenant.token,
      { email: `member-${run}-${n}@example.org`, firstName: 'Bench', lastName: `Member ${n}`, membershipTypeId: tenant.membershipTypeId });
    if (reply.status !== 201) throw new Error(`member: ${reply.status} ${JSON.stringify(reply.body)}`);
    members[n] = { tenant, memberId: reply.body.memberId };
  });
  return members;
}
