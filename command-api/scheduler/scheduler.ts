import type { Pool } from 'pg';
import { billingCustomerId } from '../../domain/tenant';
import { purgeExpiredIdempotencyRecords } from '../../infra/idempotency/postgres-idempotency-store';
import { purgeExpiredMemberChanges } from '../../infra/live/member-change-retention';
import { metricFamily } from '../../infra/metrics/prometheus-text';
import type { StripeBilling } from '../../infra/stripe/port';
import type { PriceTable } from '../../infra/stripe/prices';
import { createConnectedAccounts } from '../../infra/stripe/connected-accounts';
import { createWebhookRecords } from '../../infra/stripe/webhook-records';
import { applyStrandedNotifications } from '../billing/apply-billing-notification';
import type { BillingEdge } from '../billing/billing-edge';
import { createInTurn } from '../in-turn';
import type { CommandContext } from '../handle-command';
import { createPlanUsage } from '../plan-usage';
import { seedPlanUsageFromReadModels } from '../plan-usage-seed';
import type { StreamStates } from '../stream-states';
import { tenantDecider, tenantStream } from '../tenant-stream';
import { createDueWork } from './due-work';
import { lapseSubscriptions, renewSubscriptions } from './renew-subscriptions';
import { reportMemberSeats } from './report-usage';
import { expireInvitations } from './expire-invitations';
import { suspendUnpaidTenants } from './suspend-unpaid-tenants';

export type SchedulerDependencies = {
  streams: StreamStates;
  /** The owner role's pool: it reads every tenant's read-model rows and writes usage figures. */
  pool: Pick<Pool, 'query'>;
  /** Absent when billing is not configured: usage figures are then kept locally only. */
  stripe: StripeBilling | undefined;
  /** With billing: how notifications parked by a delivery that failed half-way are applied. */
  billing?: { prices: PriceTable; gracePeriodSeconds: number; memberGracePeriodSeconds: number };
  newId: () => string;
  onError: (error: unknown) => void;
};

type Counter = 'tenant-suspended' | 'subscription-renewed' | 'subscription-lapsed' | 'usage-reported' | 'usage-stored' | 'usage-failed'
  | 'idempotency-records-purged' | 'webhook-deliveries-purged' | 'member-changes-purged' | 'invitation-expired';

/**
 * The commands that time brings (DESIGN §10), in three tasks: the due commands (grace periods
 * ending unpaid, member subscriptions renewing or ending at period end), the daily usage report,
 * which talks to Stripe for every paying tenant and so must never hold the first back, and the
 * purge of records past their retention.
 * Every action is idempotent — a second run, or a second instance at the same moment, decides
 * `[]` on the same streams, and Stripe counts a usage identifier once — and the clock is the
 * caller's, so tests move time instead of waiting.
 */
export function createScheduler(deps: SchedulerDependencies) {
  const due = createDueWork(deps.pool);
  const planUsage = createPlanUsage(deps.streams, seedPlanUsageFromReadModels(deps.pool));
  const counters = new Map<Counter, number>();
  const inTurn = createInTurn();
  const runs = { succeeded: 0, failed: 0 };
  const count = (counter: Counter, by = 1) => counters.set(counter, (counters.get(counter) ?? 0) + by);
  const contextAt = (now: string, runId: string) => (tenantId: string): CommandContext => ({
    tenantId, actor: { system: 'scheduler' }, correlationId: runId, causationId: runId, now, newId: deps.newId,
  });

  /** The tenant's Stripe customer as its stream says (the domain's one answer to that question). */
  async function customerOf(tenantId: string) {
    deps.streams.forget(tenantStream(tenantId));
    const { state } = await deps.streams.load(tenantStream(tenantId), tenantDecider);
    return state.kind === 'created' ? billingCustomerId(state.billing) : null;
  }

  async function counted(work: () => Promise<void>) {
    try {
      await work();
      runs.succeeded += 1;
    } catch (error) {
      runs.failed += 1;
      throw error;
    }
  }

  const records = createWebhookRecords(deps.pool);
  const connectedAccounts = createConnectedAccounts(deps.pool);
  const edgeAt = (now: string, billing: { prices: PriceTable; gracePeriodSeconds: number; memberGracePeriodSeconds: number }): BillingEdge => ({
    streams: deps.streams, records, connectedAccounts, ...billing, inTurn, now: () => now, newId: deps.newId, changed: () => undefined,
  });

  const scheduler = {
    /** Grace periods, member renewals and lapses due at `now`, and parked notifications left behind. */
    runDueCommands: (now: Date) => counted(async () => {
      const context = contextAt(now.toISOString(), deps.newId());
      const onError = deps.onError;
      count('tenant-suspended', await suspendUnpaidTenants(deps.streams, due, now.toISOString(), context, onError));
      count('subscription-renewed', await renewSubscriptions(deps.streams, due, now.toISOString(), context, onError));
      count('subscription-lapsed', await lapseSubscriptions(deps.streams, due, now.toISOString(), context, onError));
      count('invitation-expired', await expireInvitations(deps.streams, deps.pool, now.toISOString(), context, onError));
      if (deps.billing) await applyStrandedNotifications(edgeAt(now.toISOString(), deps.billing));
    }),
    /** Today's member seats of every paying tenant, stored once and sent to Stripe where it has a customer (due-work.ts); one tenant's failure stops none. */
    reportUsage: (now: Date) => counted(async () => {
      for (const { tenantId, day, storedSeats } of await due.unreportedUsage(now.toISOString().slice(0, 10))) {
        try {
          const customerId = await customerOf(tenantId);
          // The day's figure is its first one: once stored, a retry sends it again (report-usage.ts)
          // and must not pay for a read of the whole plan-usage ledger each run Stripe is down.
          const memberSeats = storedSeats ?? await planUsage.memberSeats(tenantId);
          count(await reportMemberSeats(deps.pool, deps.stripe, { tenantId, customerId, day, memberSeats, now }) === 'reported'
            ? 'usage-reported' : 'usage-stored');
        } catch (error) {
          // The figure is stored unreported; the next run sends it again under the same identifier.
          count('usage-failed');
          deps.onError(error);
        }
      }
    }),
    /** Records past their retention: Idempotency-Key responses (24 h), webhook deliveries (30 days), live changes (24 h). */
    purgeExpired: (now: Date) => counted(async () => {
      count('idempotency-records-purged', await purgeExpiredIdempotencyRecords(deps.pool, now));
      count('webhook-deliveries-purged', await records.purgeDeliveries(now));
      count('member-changes-purged', await purgeExpiredMemberChanges(deps.pool, now));
    }),
    /** Every task, one after the other (tests). */
    async runOnce(now: Date) {
      await scheduler.runDueCommands(now);
      await scheduler.reportUsage(now);
      await scheduler.purgeExpired(now);
    },
    async metrics() {
      const { rows } = await deps.pool.query('SELECT billing_status, count(*)::int AS tenants FROM rm_tenants GROUP BY billing_status');
      return metricFamily('scheduler_runs_total', 'counter', 'Scheduler task runs by result',
        Object.entries(runs).map(([result, value]) => ({ labels: { result }, value })))
        + metricFamily('scheduler_actions_total', 'counter', 'Commands and reports the scheduler issued, by action',
          [...counters].map(([action, value]) => ({ labels: { action }, value })))
        + metricFamily('tenants_by_billing_status', 'gauge', 'Tenants by billing status (read model)',
          rows.map((row) => ({ labels: { status: row.billing_status }, value: row.tenants })));
    },
  };
  return scheduler;
}

export type Scheduler = ReturnType<typeof createScheduler>;
