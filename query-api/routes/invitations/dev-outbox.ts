import { sql } from 'kysely';
import { z } from 'zod';
import { hashInvitationToken, invitationTokensIn } from '../../../infra/invitations/invitation-token';
import type { DevelopmentOutbox } from '../../../infra/mail/development-outbox';
import type { QueryApiDependencies } from '../../dependencies';
import type { QueryRouteSpec } from '../../query-route';
import { withTenant } from '../../tenant-scope';

const mailView = z.object({
  id: z.string(), sentAt: z.string(), to: z.string(), subject: z.string(), text: z.string(), html: z.string().optional(),
});

/**
 * GET /v1/dev/outbox (embedded only: served when the platform keeps a development outbox). The
 * outbox is the whole process's; a tenant sees only the mails whose invitation links carry a token
 * of one of its own invitations (rm_invitations.token_hashes, under row-level security), never
 * another tenant's, even to the same address.
 */
export function devOutboxRoute(deps: QueryApiDependencies, outbox: Pick<DevelopmentOutbox, 'list'>): QueryRouteSpec<object, object> {
  return {
    url: '/v1/dev/outbox', summary: 'Development only: the invitation mails of this tenant that the embedded platform kept, newest first',
    roles: ['owner', 'admin'], query: z.object({}), params: z.object({}),
    response: z.object({ items: z.array(mailView) }),
    handle: async ({ principal }) => {
      const { rows } = await withTenant(deps.db, principal.tenantId, (trx) =>
        sql<{ token_hash: string }>`SELECT unnest(token_hashes) AS token_hash FROM rm_invitations`.execute(trx));
      const own = new Set(rows.map((row) => row.token_hash));
      const items = outbox.list().filter((mail) => invitationTokensIn(mail.text).some((token) => own.has(hashInvitationToken(token))));
      return { items };
    },
  };
}
