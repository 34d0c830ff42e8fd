import { z } from 'zod';
import type { MemberCommand } from '../../../domain/member';
import type { CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { handleCommand, type CommandContext } from '../../handle-command';
import { memberParams } from './change-member-details';
import { memberDecider, memberReply, memberStream } from './member-streams';

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

export function changeStatus(deps: RouteDependencies, memberId: string, command: MemberCommand, context: CommandContext, ifMatch?: number) {
  return handleCommand(deps.streams, memberStream(context.tenantId, memberId), memberDecider, command, context, ifMatch);
}

function statusRoute(
  deps: RouteDependencies, action: StatusAction, body: z.ZodType<{ reason?: string }>, summary: string,
): CommandRouteSpec<{ reason?: string }, z.infer<typeof memberParams>> {
  return {
    method: 'POST', url: `/v1/members/:memberId/${action}`, summary, roles: ['owner', 'admin'], body, params: memberParams,
    async handle({ body: input, params, context, ifMatch }) {
      const result = await changeStatus(deps, params.memberId, statusCommand(action, input.reason), context, ifMatch);
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
