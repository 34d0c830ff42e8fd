import { z } from 'zod';
import { memberNotFound, seatHoldingStatuses, type MemberCommand } from '../../../domain/member';
import { planLimitReachedCode } from '../../../domain/plan-usage';
import { refusal, type RefusalSource } from '../../../infra/http/openapi-responses';
import type { Tenant } from '../../../domain/tenant';
import { HttpProblem } from '../../../infra/http/problem';
import type { CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { handleCommand, type CommandContext } from '../../handle-command';
import { memberParams } from './change-member-details';
import { cancelDuesOfDeactivated } from '../payments/change-stripe-dues';
import { memberDecider, memberReply, memberReplySchema, memberStream } from './member-streams';

/** The status machine's refusals of each action (domain/member/decide.ts), as /docs lists them. */
const refusalsOf: Record<StatusAction, RefusalSource[]> = {
  activate: [refusal(409, 'member-not-pending')],
  suspend: [refusal(409, 'member-not-active')],
  reactivate: [refusal(409, 'member-not-suspended-or-inactive'), refusal(409, planLimitReachedCode)],
  deactivate: [refusal(409, 'member-not-active-or-suspended')],
};

const reason = z.string().trim().min(1).max(500);
const noBody = z.strictObject({});
const withReason = z.strictObject({ reason });

export type StatusAction = 'activate' | 'suspend' | 'reactivate' | 'deactivate';

/** The status machine's commands, as the routes and the bulk route both need them. */
export function statusCommand(action: StatusAction, reasonText: string | undefined): MemberCommand {
  switch (action) {
    case 'activate':
      return { type: 'ActivateMember' };
    case 'suspend':
      return { type: 'SuspendMember', reason: reasonText ?? 'unspecified' };
    case 'reactivate':
      return { type: 'ReactivateMember' };
    case 'deactivate':
      return { type: 'DeactivateMember', reason: reasonText ?? 'unspecified' };
  }
}

/**
 * A status change, with the plan's seats (DESIGN §10): reactivating an inactive member takes a
 * seat first (refused at the limit) and gives it back if the change is refused; deactivating
 * releases the member's seat once done. Suspension keeps the seat.
 */
export async function changeStatus(
  deps: RouteDependencies, tenant: Tenant, memberId: string, command: MemberCommand, context: CommandContext, ifMatch?: number,
) {
  const streamId = memberStream(context.tenantId, memberId);
  if (command.type === 'DeactivateMember') {
    await deps.planUsage.open(context.tenantId, context);
    const result = await handleCommand(deps.streams, streamId, memberDecider, command, context, ifMatch);
    await deps.planUsage.releaseMemberSeat(context.tenantId, memberId, context);
    // After the deactivation, so that a retry of a failed call to Stripe (same key) calls it again.
    if (result.state.kind === 'registered') await cancelDuesOfDeactivated(deps, tenant, result.state);
    return result;
  }
  if (command.type !== 'ReactivateMember') return handleCommand(deps.streams, streamId, memberDecider, command, context, ifMatch);
  for (let attempt = 1; ; attempt++) {
    deps.streams.forget(streamId);
    const loaded = await deps.streams.load(streamId, memberDecider);
    // The seat is decided on this revision, so the change must apply to exactly it: a
    // deactivation landing in between would otherwise let a member back in without a seat.
    const changeAt = () => handleCommand(deps.streams, streamId, memberDecider, command, context, ifMatch ?? loaded.revision);
    const holdsSeat = loaded.state.kind !== 'registered' || seatHoldingStatuses.includes(loaded.state.status);
    try {
      return await (holdsSeat ? changeAt() : deps.planUsage.withMemberSeat(tenant, memberId, context, changeAt));
    } catch (error) {
      // Our own pinning lost to a concurrent change: decide the seat again on the new revision.
      if (ifMatch === undefined && isRevisionMismatch(error) && attempt < pinnedAttempts) continue;
      throw error;
    }
  }
}

const isRevisionMismatch = (error: unknown) => error instanceof HttpProblem && error.status === 412;
/** A reactivation pinned to a revision tries again this often when another change lands first. */
const pinnedAttempts = 3;

function statusRoute(
  deps: RouteDependencies, action: StatusAction, body: z.ZodType<{ reason?: string }>, summary: string,
): CommandRouteSpec<{ reason?: string }, z.infer<typeof memberParams>> {
  return {
    method: 'POST', url: `/v1/members/:memberId/${action}`, summary, roles: ['owner', 'admin'], body, params: memberParams,
    response: memberReplySchema, refusals: [memberNotFound, ...refusalsOf[action]],
    async handle({ body: input, params, tenant, context, ifMatch }) {
      const result = await changeStatus(deps, tenant!, params.memberId, statusCommand(action, input.reason), context, ifMatch);
      return memberReply(params.memberId, result);
    },
  };
}

export function memberStatusRoutes(deps: RouteDependencies) {
  return [
    statusRoute(deps, 'activate', noBody, 'Activate a pending member'),
    statusRoute(deps, 'suspend', withReason, 'Suspend an active member'),
    statusRoute(deps, 'reactivate', noBody, 'Reactivate a suspended or inactive member'),
    statusRoute(deps, 'deactivate', withReason, 'Deactivate an active or suspended member'),
  ];
}
