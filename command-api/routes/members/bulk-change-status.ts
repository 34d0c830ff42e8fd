import { z } from 'zod';
import { DomainError } from '../../../domain/shared/domain-error';
import { entityId } from '../../../domain/shared/schemas';
import type { CommandRouteSpec } from '../../command-route';
import type { RouteDependencies } from '../../dependencies';
import { changeStatus, statusCommand } from './change-member-status';

export const bulkBody = z.strictObject({
  action: z.enum(['suspend', 'reactivate', 'deactivate']),
  memberIds: z.array(entityId).min(1).max(500),
  reason: z.string().trim().min(1).max(500).optional(),
}).refine((b) => b.action === 'reactivate' || b.reason !== undefined, { message: 'reason is required', path: ['reason'] });

const bulkResponse = z.object({
  results: z.array(z.object({ memberId: z.uuid(), ok: z.boolean(), code: z.string().optional().describe('Why this member was refused, as its own route would say'),
    revision: z.number().int().optional(), position: z.number().int().optional() })),
  position: z.number().int(),
});

type Outcome = { memberId: string; ok: boolean; code?: string; revision?: number; position?: number };

/** Applies one status change to many members; one member's refusal does not stop the others. */
export function bulkChangeStatusRoute(
  deps: RouteDependencies,
): CommandRouteSpec<z.infer<typeof bulkBody>, object> {
  return {
    method: 'POST', url: '/v1/members/bulk', summary: 'Suspend, reactivate or deactivate many members',
    roles: ['owner', 'admin'], body: bulkBody, params: z.object({}), etag: false, response: bulkResponse,
    async handle({ body, tenant, context }) {
      const uniqueIds = [...new Set(body.memberIds)];
      const results: Outcome[] = [];
      for (const memberId of uniqueIds) {
        try {
          const result = await changeStatus(deps, tenant!, memberId, statusCommand(body.action, body.reason), context);
          results.push({ memberId, ok: true, revision: result.revision, position: result.position });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          results.push({ memberId, ok: false, code: error.code });
        }
      }
      const position = Math.max(0, ...results.map((r) => r.position ?? 0));
      return { status: 200, body: { results, position } };
    },
  };
}
