import type { Pool } from 'pg';
import { metricFamily } from '../../infra/metrics/prometheus-text';
import type { StripeBilling } from '../../infra/stripe/port';
import { handleCommand, type CommandContext } from '../handle-command';
import type { PlanUsage } from '../plan-usage';
import { memberDecider, memberStream } from '../routes/members/member-streams';
import type { StreamStates } from '../stream-states';
import { tenantDecider, tenantStream } from '../tenant-stream';
import { createDueWork } from './due-work';
import { reportMemberSeats } from './report-usage';

export type SchedulerDependencies = {
  streams: StreamStates;
  planUsage: PlanUsage;
  /** The owner role's pool: it reads every tenant's read-model rows and writes usage figures. */
  pool: Pick<Pool, 'query'>;
  /** Absent when billing is not configured: usage figures are then kept locally only. */
  stripe: StripeBilling | undefined;
  newId: () => string;
  onError?: (error: unknown) => void;
};

type Action = 'tenant-suspended' | 'subscription-renewed' | 'usage-reported' | 'usage-stored' | 'usage-failed';

/** Member subscriptions looked at per pass; a run makes passes until nothing due is left. */
const renewalBatch = 500;

/**
 * The commands that time brings (DESIGN §10): grace periods ending unpaid, member subscriptions
 * renewing or ending at period end, the daily usage report. Every action is idempotent — a second
 * run, or a second instance at the same moment, decides `[]` on the same streams — and the clock
 * is the caller's, so tests move time instead of waiting.
 */
export function createScheduler(deps: SchedulerDependencies) {
  const due = createDueWork(deps.pool);
  const actions = new Map<Action, number>();
  const runs = { succeeded: 0, failed: 0 };
  const count = (action: Action) => actions.set(action, (actions.get(action) ?? 0) + 1);

  const context = (tenantId: string, now: string, runId: string): CommandContext => ({
    tenantId, actor: { system: 'scheduler' }, correlationId: runId, causationId: runId, now, newId: deps.newId,
  });

  async function suspendUnpaid(now: string, runId: string) {
    for (const tenantId of await due.unpaidTenants(now)) {
      const result = await handleCommand(deps.streams, tenantStream(tenantId), tenantDecider,
        { type: 'SuspendUnpaidTenant', now }, context(tenantId, now, runId));
      if (result.changed) count('tenant-suspended');
    }
  }

  async function renewSubscriptions(now: string, runId: string) {
    const seen = new Set<string>();
    for (;;) {
      const batch = (await due.endedSubscriptions(now, renewalBatch)).filter((row) => !seen.has(row.memberId));
      for (const { tenantId, memberId } of batch) {
        seen.add(memberId);
        const result = await handleCommand(deps.streams, memberStream(tenantId, memberId), memberDecider,
          { type: 'RenewSubscription', now }, context(tenantId, now, runId));
        if (result.changed) count('subscription-renewed');
      }
      // The read models lag our own appends: rows already handled in this run come back until projected.
      if (batch.length === 0) return;
    }
  }

  async function reportUsage(now: Date) {
    const day = now.toISOString().slice(0, 10);
    for (const { tenantId, customerId } of await due.unreportedUsage(day)) {
      try {
        const memberSeats = await deps.planUsage.memberSeats(tenantId);
        count(await reportMemberSeats(deps.pool, deps.stripe, { tenantId, customerId, day, memberSeats, now }) === 'reported'
          ? 'usage-reported' : 'usage-stored');
      } catch (error) {
        // One tenant's report (Stripe refusing, unreachable) must not hold back the others; the
        // figure is stored, unreported, and the next run sends it again under the same identifier.
        count('usage-failed');
        deps.onError?.(error);
      }
    }
  }

  return {
    /** One pass over everything due at `now`; throws (and counts a failed run) if any step fails. */
    async runOnce(now: Date) {
      const runId = deps.newId();
      try {
        await suspendUnpaid(now.toISOString(), runId);
        await renewSubscriptions(now.toISOString(), runId);
        await reportUsage(now);
        runs.succeeded += 1;
      } catch (error) {
        runs.failed += 1;
        throw error;
      }
    },
    async metrics() {
      const { rows } = await deps.pool.query('SELECT billing_status, count(*)::int AS tenants FROM rm_tenants GROUP BY billing_status');
      return metricFamily('scheduler_runs_total', 'counter', 'Scheduler runs by result',
        Object.entries(runs).map(([result, value]) => ({ labels: { result }, value })))
        + metricFamily('scheduler_actions_total', 'counter', 'Commands and reports the scheduler issued, by action',
          [...actions].map(([action, value]) => ({ labels: { action }, value })))
        + metricFamily('tenants_by_billing_status', 'gauge', 'Tenants by billing status (read model)',
          rows.map((row) => ({ labels: { status: row.billing_status }, value: row.tenants })));
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
