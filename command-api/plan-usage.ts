import { decidePlanUsage, evolvePlanUsage, initialPlanUsageState, type PlanUsageCommand, type PlanUsageState } from '../domain/plan-usage';
import { planLimits, tenantBilling, type Tenant } from '../domain/tenant';
import { DomainError } from '../domain/shared/domain-error';
import { WrongExpectedRevisionError } from '../infra/event-store/port';
import { HttpProblem } from '../infra/http/problem';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { handleCommand, type CommandContext } from './handle-command';
import { createInTurn } from './in-turn';
import type { PlanUsageSeed } from './plan-usage-seed';
import type { StreamStates } from './stream-states';

const planUsageDecider = { decide: decidePlanUsage, evolve: evolvePlanUsage, initialState: initialPlanUsageState };
const planUsageStream = (tenantId: string) => tenantStreamId('planusage', tenantId);

/** Another process appending to the same ledger is retried this often before giving up. */
const attemptsAcrossProcesses = 20;

/**
 * A tenant's plan usage ledger (DESIGN §10: limits exact under concurrent requests). Every seat
 * taken is an append with the expected revision, so two writers can never both take the last one;
 * in this process, appends to one ledger take turns, so concurrent registrations do not race.
 */
export function createPlanUsage(streams: StreamStates, seed: PlanUsageSeed) {
  const inTurn = createInTurn();

  /** A tenant's first ledger command opens it with what the tenant held before the ledger existed. */
  async function ensureOpened(tenantId: string, context: CommandContext) {
    if ((await streams.load(planUsageStream(tenantId), planUsageDecider)).state.opened) return;
    const held = await seed(tenantId);
    await handleCommand(streams, planUsageStream(tenantId), planUsageDecider, { type: 'OpenPlanUsage', ...held }, context);
  }

  async function run(tenantId: string, command: PlanUsageCommand, context: CommandContext): Promise<PlanUsageState> {
    return inTurn(tenantId, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await ensureOpened(tenantId, context);
          return (await handleCommand(streams, planUsageStream(tenantId), planUsageDecider, command, context)).state;
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError) || attempt >= attemptsAcrossProcesses) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        }
      }
    });
  }

  const limitsOf = (tenant: Tenant) => planLimits[tenantBilling(tenant).plan];

  return {
    /**
     * Before a member stops holding a seat: the ledger must count it before the release, or its
     * opening (from counts that no longer include the member) and the release would both drop it.
     */
    open: (tenantId: string, context: CommandContext) => inTurn(tenantId, () => ensureOpened(tenantId, context)),
    /**
     * `work` makes a member hold a seat (a registration, the reactivation of an inactive member):
     * the seat is taken first (refused at the plan's limit) and given back if `work` is refused.
     * After any other failure the seat stays taken: the work may have happened, and a crash can
     * only over-count, never let a tenant past its limit.
     */
    async withMemberSeat<T>(tenant: Tenant, memberId: string, context: CommandContext, work: () => Promise<T>): Promise<T> {
      await run(tenant.tenantId, { type: 'TakeMemberSeat', memberId, limit: limitsOf(tenant).members }, context);
      try {
        return await work();
      } catch (error) {
        if (error instanceof DomainError || error instanceof HttpProblem) {
          await run(tenant.tenantId, { type: 'ReleaseMemberSeat', memberId }, context);
        }
        throw error;
      }
    },
    /** After a member stopped holding a seat (deactivation; open the ledger before it). */
    releaseMemberSeat: (tenantId: string, memberId: string, context: CommandContext) =>
      run(tenantId, { type: 'ReleaseMemberSeat', memberId }, context),
    countMembershipType: (tenant: Tenant, membershipTypeId: string, context: CommandContext) =>
      run(tenant.tenantId, { type: 'CountMembershipType', membershipTypeId, limit: limitsOf(tenant).membershipTypes }, context),
    /** The member seats held now, as the scheduler reports them to Stripe. */
    async memberSeats(tenantId: string) {
      streams.forget(planUsageStream(tenantId));
      const { state } = await streams.load(planUsageStream(tenantId), planUsageDecider);
      return state.opened ? state.memberSeats : (await seed(tenantId)).memberSeats;
    },
  };
}

export type PlanUsage = ReturnType<typeof createPlanUsage>;
