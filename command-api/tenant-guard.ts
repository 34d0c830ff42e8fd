import type { EventStore } from '../infra/event-store/port';
import { tenantStreamId } from '../infra/event-store/stream-name';
import { HttpProblem } from '../infra/http/problem';

/**
 * A token names its tenant; commands for a tenant that was never provisioned are refused. Tenants
 * are never deleted, so a tenant once seen is remembered for the life of the process.
 */
export function createTenantGuard(store: EventStore) {
  const known = new Set<string>();
  return async function requireTenant(tenantId: string) {
    if (known.has(tenantId)) return;
    const exists = (await store.existingStreams([tenantStreamId('tenant', tenantId)])).size > 0;
    if (!exists) throw new HttpProblem(404, 'tenant-not-found', 'Not found', 'The tenant of this token does not exist.');
    known.add(tenantId);
  };
}

export type TenantGuard = ReturnType<typeof createTenantGuard>;
