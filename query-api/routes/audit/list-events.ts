import { sql } from 'kysely';
import { z } from 'zod';
import { toEnvelope } from '../../../infra/event-store/postgres-event-store';
import type { QueryApiDependencies } from '../../dependencies';
import type { QueryRouteSpec } from '../../query-route';
import { withTenant } from '../../tenant-scope';

export const auditQuery = z.strictObject({
  streamId: z.string().min(1).max(300).optional(),
  type: z.string().regex(/^[A-Za-z]{1,100}$/).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  cursor: z.string().regex(/^\d{1,16}$/).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/**
 * The tenant's events in log order, for auditors. Reads the event log itself (row-level security
 * limits the query role to the tenant), only below the log's watermark so pages never skip.
 */
export function listAuditEventsRoute(deps: QueryApiDependencies): QueryRouteSpec<z.infer<typeof auditQuery>, object> {
  return {
    url: '/v1/audit/events', summary: 'The tenant’s events in log order', roles: ['auditor', 'owner'],
    query: auditQuery, params: z.object({}),
    response: z.object({ items: z.array(z.object({
      eventId: z.string(), type: z.string(), schemaVersion: z.number().int(), streamId: z.string(), streamRevision: z.number().int(),
      position: z.number().int(), tenantId: z.string(), occurredAt: z.string(), recordedAt: z.string(),
      actor: z.union([z.object({ userId: z.string(), roles: z.array(z.string()) }), z.object({ system: z.string() })]), correlationId: z.string(), causationId: z.string(),
      idempotencyKey: z.string().optional(), data: z.record(z.string(), z.unknown()),
    })), nextCursor: z.string().nullable() }),
    handle: ({ query, principal }) => withTenant(deps.db, principal.tenantId, async (trx) => {
      let select = trx.selectFrom('events').selectAll()
        .where('tenant_id', '=', principal.tenantId)
        .where('position', '>', Number(query.cursor ?? 0))
        .where(sql<boolean>`position < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 12)`);
      if (query.streamId) select = select.where('stream_id', '=', query.streamId);
      if (query.type) select = select.where('type', '=', query.type);
      if (query.from) select = select.where('occurred_at', '>=', new Date(query.from));
      if (query.to) select = select.where('occurred_at', '<', new Date(query.to));
      const rows = await select.orderBy('tenant_id').orderBy('position').limit(query.limit + 1).execute();
      const items = rows.slice(0, query.limit).map((row) => toEnvelope(row as never));
      const nextCursor = rows.length > query.limit ? String(items.at(-1)!.position) : null;
      return { items, nextCursor };
    }),
  };
}
