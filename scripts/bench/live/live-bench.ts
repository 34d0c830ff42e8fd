import type { TokenService } from '../../../infra/auth/jwt';
import type { JsonClient } from '../../load/http-client';
import { createBenchMembers } from '../bench-members';
import type { startMemorySampler } from '../memory';
import { runOpenLoop } from '../open-loop';
import { createBenchTenants } from '../setup';
import { round, summarise } from '../stats';
import { openSubscribers } from './sse-subscribers';

export type LiveBenchOptions = {
  commandClient: JsonClient; queryUrl: string; tokens: TokenService; run: string;
  tenants: number; subscribers: number; rate: number; durationMs: number;
  memory: ReturnType<typeof startMemorySampler>; log: (message: string) => void;
};

export const liveTargets = { delivery: 'p99 <= 250 ms at 500 changes/s, 1,000 subscribers over 20 tenants (embedded)', memory: '< 500 MB resident with them' };

/**
 * `npm run bench -- --live` (issue 12): `subscribers` SSE clients spread over `tenants` tenants,
 * then member updates at `rate` per second spread over them; for every change, the time from the
 * command being sent (and from its answer) to its event reaching each subscriber of its tenant.
 * A change a subscriber never got is counted, not hidden.
 */
export async function measureLiveUpdates(options: LiveBenchOptions) {
  const { commandClient, queryUrl, tokens, run, log } = options;
  log(`live: ${options.tenants} tenants with members`);
  const tenants = await createBenchTenants(commandClient, tokens, options.tenants, `${run}l`);
  const members = await createBenchMembers(commandClient, tenants, 20, `${run}l`);
  const subscriberTenant = Array.from({ length: options.subscribers }, (_, n) => n % tenants.length);
  log(`live: opening ${options.subscribers} subscribers`);
  const subscribers = await openSubscribers(queryUrl, await Promise.all(subscriberTenant.map((t) =>
    tokens.sign({ userId: `viewer-${t}`, tenantId: tenants[t]!.tenantId, roles: ['staff'] }, '6h'))));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  options.memory.reset();

  log(`live: ${options.rate} changes/s for ${options.durationMs / 1000} s`);
  const sent = new Map<number, { tenant: number; sentAtMs: number; answeredAtMs: number }>();
  const failures: Record<string, number> = {};
  await runOpenLoop(options.rate, options.durationMs, async (n) => {
    const member = members[n % members.length]!;
    const sentAtMs = Date.now();
    const reply = await commandClient.request('PATCH', `/v1/members/${member.memberId}`, member.tenant.token, { lastName: `Live ${n}` });
    if (reply.status !== 200) {
      failures[String(reply.status)] = (failures[String(reply.status)] ?? 0) + 1;
      return;
    }
    sent.set(Number(reply.body.position), { tenant: tenants.indexOf(member.tenant), sentAtMs, answeredAtMs: Date.now() });
  });
  await new Promise((resolve) => setTimeout(resolve, 3000)); // the stragglers
  const residentMb = options.memory.maxMb();
  subscribers.close();

  const fromSent: number[] = [];
  const fromAnswer: number[] = [];
  let delivered = 0;
  let foreign = 0;
  subscribers.deliveries.forEach((received, index) => {
    received.positions.forEach((position, i) => {
      const change = sent.get(position);
      if (!change) return; // a change of the set-up, before the measured window
      if (change.tenant !== subscriberTenant[index]) foreign += 1;
      delivered += 1;
      fromSent.push(received.arrivedAtMs[i]! - change.sentAtMs);
      fromAnswer.push(received.arrivedAtMs[i]! - change.answeredAtMs);
    });
  });
  const expected = [...sent.values()].reduce((sum, change) => sum + subscriberTenant.filter((t) => t === change.tenant).length, 0);
  return {
    subscribers: options.subscribers, connectionsShedAndRetried: subscribers.retries.count, tenants: options.tenants, changesPerSecond: round(sent.size / (options.durationMs / 1000), 1),
    commandFailures: failures, deliveriesExpected: expected, deliveriesReceived: delivered, deliveriesMissing: expected - delivered,
    deliveredToAnotherTenant: foreign,
    latencyFromCommandSentMs: summarise(fromSent), latencyFromCommandAnsweredMs: summarise(fromAnswer),
    platformResidentMemoryMb: residentMb,
  };
}
