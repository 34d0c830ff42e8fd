import type { EventEnvelope } from '../../infra/event-store/port';
import type { SqlStatement } from '../runtime/projection';

/** Tenants (rm_tenants). Usage figures are counted from rm_members when asked, so they cannot drift. */
export function projectTenants(event: EventEnvelope): SqlStatement[] {
  if (event.type !== 'TenantCreated') return [];
  const data = event.data as Record<string, any>;
  return [{
    text: `INSERT INTO rm_tenants (tenant_id, name, subdomain, plan, created_at, updated_at, revision)
           VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT DO NOTHING`,
    values: [event.tenantId, data.name, data.subdomain, data.plan, event.occurredAt, event.streamRevision],
  }];
}
