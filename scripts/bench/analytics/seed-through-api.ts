import { forEachConcurrently, whileShed, type JsonClient } from '../../load/http-client';
import type { BenchMember } from '../bench-members';
import type { BenchTenant } from '../command-mix';

const day = 86_400_000;
const activityTypes = ['login', 'event.attended', 'content.viewed'];

/**
 * Data for the analytics routes, entered as a user enters it (the command API, then the platform's
 * own projection into ClickHouse): a subscription for every other member (monthly or yearly), and
 * `activities` activities over the last 30 days (the API takes at most 35 days back), some members
 * far more active than others, in calls of 1,000. Resolves once the analytics projection has
 * applied the last of them in every tenant.
 */
export async function seedAnalyticsThroughApi(
  commands: JsonClient, queries: JsonClient, members: BenchMember[], activities: number, log: (m: string) => void,
) {
  const subscribers = members.filter((_, n) => n % 2 === 0);
  await forEachConcurrently(subscribers, 32, async ({ tenant, memberId }, n) => {
    const reply = await whileShed(() => commands.request('POST', `/v1/members/${memberId}/subscription`, tenant.token,
      { membershipTypeId: tenant.membershipTypeId, interval: n % 4 === 0 ? 'year' : 'month' }));
    if (reply.status !== 200) throw new Error(`subscription: ${reply.status} ${JSON.stringify(reply.body)}`);
  });
  const lastPosition = new Map<BenchTenant, number>();
  const now = Date.now();
  const batches = Array.from({ length: Math.ceil(activities / 1000) }, (_, b) => b);
  await forEachConcurrently(batches, 8, async (b) => {
    const tenant = members[b % members.length]!.tenant;
    const own = members.filter((m) => m.tenant === tenant);
    const items = Array.from({ length: Math.min(1000, activities - b * 1000) }, (_, i) => {
      const k = b * 1000 + i;
      // Squaring a uniform draw favours low indexes: a few members do most of the activity.
      const member = own[Math.floor(((k * 7919) % 1000 / 1000) ** 2 * own.length)]!;
      const ago = 60_000 + ((k * 104_729) % (30 * 1440)) * 60_000;
      return { memberId: member.memberId, type: activityTypes[k % activityTypes.length]!, occurredAt: new Date(now - Math.min(ago, 30 * day)).toISOString() };
    });
    const reply = await whileShed(() => commands.request('POST', '/v1/activities', tenant.token, { items }));
    if (reply.status !== 202) throw new Error(`activities: ${reply.status} ${JSON.stringify(reply.body)}`);
    lastPosition.set(tenant, Math.max(lastPosition.get(tenant) ?? 0, reply.body.position));
  });
  log(`  ${subscribers.length} subscriptions and ${activities} activities accepted; waiting for the analytics projection`);
  for (const [tenant, position] of lastPosition) await waitForAnalytics(queries, tenant, position);
}

/** Read-your-writes on an analytics route: the consistency bound is seconds, a seed takes longer. */
async function waitForAnalytics(queries: JsonClient, tenant: BenchTenant, position: number, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await whileShed(() =>
      queries.request('GET', '/v1/analytics/overview', tenant.token, undefined, { 'x-consistency-position': String(position) }));
    if (reply.status === 200) return;
    if (reply.body?.code !== 'consistency-timeout' || Date.now() > deadline) {
      throw new Error(`analytics not caught up: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
  }
}
