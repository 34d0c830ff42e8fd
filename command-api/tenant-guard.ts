import type { Tenant, TenantState } from '../domain/tenant';
import type { EventStore } from '../infra/event-store/port';
import type { TenantSettingsCache } from '../infra/cache/tenant-settings-cache';
import { HttpProblem } from '../infra/http/problem';
import { tenantDecider, tenantStream } from './tenant-stream';

/**
 * Without the tenant settings cache: how long a tenant's state read by this process is trusted.
 * Billing changes (suspension, a plan change) may be decided in another process; this bounds how
 * long this one can miss them.
 */
const freshForMs = 1_000;

/**
 * A token names its tenant; commands for a tenant that was never provisioned are refused with a
 * 404. Returns the tenant as stored (plan, billing), read again once it is older than `freshForMs`.
 */
export function createTenantGuard(store: Pick<EventStore, 'readStream'>, clock: () => number = Date.now, cache?: TenantSettingsCache<Tenant>) {
  const known = new Map<string, { tenant: Tenant; readAtMs: number }>();
  async function requireTenant(tenantId: string): Promise<Tenant> {
    // With the tenant settings cache (invalidated by every tenant event: tenant-settings-invalidation.ts), no timeout.
    const cached = cache ? await cache.get(tenantId) : undefined;
    if (cached) return cached;
    const entry = cache ? undefined : known.get(tenantId);
    if (entry && clock() - entry.readAtMs < freshForMs) return entry.tenant;
    const history = await store.readStream(tenantStream(tenantId));
    const state = history.reduce<TenantState>((s, e) => tenantDecider.evolve(s, e as never), tenantDecider.initialState);
    if (state.kind === 'absent') throw new HttpProblem(404, 'tenant-not-found', 'Not found', 'The tenant of this token does not exist.');
    if (cache) await cache.fill(tenantId, history[history.length - 1]!.streamRevision, state);
    else known.set(tenantId, { tenant: state, readAtMs: clock() });
    return state;
  }
  /** After this process changed the tenant: read it again next time. */
  requireTenant.forget = (tenantId: string) => known.delete(tenantId);
  return requireTenant;
}

export type TenantGuard = ReturnType<typeof createTenantGuard>;
