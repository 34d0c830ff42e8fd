import type { Tenant } from '../domain/tenant';
import type { TenantSettingsCache } from '../infra/cache/tenant-settings-cache';
import type { EventStore } from '../infra/event-store/port';
import { tenantStream } from './tenant-stream';

/**
 * Every append to a tenant's own stream (provisioning, plan changes, payments, suspension,
 * restoration… every tenant event) invalidates its cached settings, at the revision appended.
 * Wrapped around the event store of each process that appends tenant events (the command API, the
 * scheduler), so that no code path can change a tenant and forget the cache. A failed append
 * invalidates nothing: if it wrote after all, the cache keeps the older copy until the next
 * tenant event.
 */
export function invalidatingTenantSettings(store: EventStore, cache: TenantSettingsCache<Tenant>): EventStore {
  return {
    ...store,
    append: async (streamId, events, expected) => {
      const result = await store.append(streamId, events, expected);
      const tenantId = events[0]?.tenantId;
      if (tenantId !== undefined && streamId === tenantStream(tenantId)) await cache.invalidate(tenantId, result.nextExpectedRevision);
      return result;
    },
  };
}

/** The store as is without a cache, else wrapped: one line in each composition root. */
export const withTenantSettingsInvalidation = (store: EventStore, cache: TenantSettingsCache<Tenant> | undefined): EventStore =>
  cache ? invalidatingTenantSettings(store, cache) : store;
