import { sql } from 'kysely';
import { z } from 'zod';
import type { QueryApiDependencies } from '../../dependencies';
import type { QueryRouteSpec } from '../../query-route';
import { withTenant } from '../../tenant-scope';

const statuses = ['pending', 'accepted', 'revoked', 'expired'] as const;
const query = z.object({ status: z.enum(statuses).optional() });
/** The newest this many: a tenant's open invitations, not an archive. */
const listed = 1000;

const invitationView = z.object({
  invitationId: z.uuid(), memberId: z.uuid(), email: z.string().optional(), status: z.enum(statuses),
  expiresAt: z.string(), sentAt: z.string().describe('The latest (re)send'), acceptedAt: z.string().optional(),
});

type Row = { invitation_id: string; member_id: string; email: string | null; status: (typeof statuses)[number];
  expires_at: Date; sent_at: Date; accepted_at: Date | null };

/**
 * GET /v1/invitations?status=: newest first. A pending invitation past its expiry is listed as
 * expired before the scheduler has recorded it. The email is the member's (rm_members), never
 * stored with the invitation.
 */
export function listInvitationsRoute(deps: QueryApiDependencies): QueryRouteSpec<z.infer<typeof query>, object> {
  return {
    url: '/v1/invitations', summary: `The tenant’s invitations, newest first (at most ${listed})`,
    roles: ['owner', 'admin', 'staff'], query, params: z.object({}),
    response: z.object({ items: z.array(invitationView) }),
    handle: async ({ query: { status }, principal }) => {
      const now = deps.now();
      const { rows } = await withTenant(deps.db, principal.tenantId, (trx) => sql<Row>`
        SELECT * FROM (
          SELECT i.invitation_id, i.member_id, m.email, i.expires_at, i.sent_at, i.accepted_at,
                 CASE WHEN i.status = 'pending' AND i.expires_at <= ${now}::timestamptz THEN 'expired' ELSE i.status END AS status
            FROM rm_invitations i LEFT JOIN rm_members m ON m.tenant_id = i.tenant_id AND m.member_id = i.member_id
        ) AS invitations
        WHERE ${status ?? null}::text IS NULL OR status = ${status ?? null}::text
        ORDER BY sent_at DESC, invitation_id DESC LIMIT ${listed}`.execute(trx));
      return { items: rows.map((row) => ({
        invitationId: row.invitation_id, memberId: row.member_id, ...(row.email === null ? {} : { email: row.email }),
        status: row.status, expiresAt: row.expires_at.toISOString(), sentAt: row.sent_at.toISOString(),
        ...(row.accepted_at === null ? {} : { acceptedAt: row.accepted_at.toISOString() }),
      })) };
    },
  };
}
