/**
 * The per-request tenant lookup's cache (DESIGN §12: plan, limits, billing status, suspension),
 * invalidated by the events that change a tenant, not by a timeout. Every entry carries the tenant
 * stream's revision it was read at, and an invalidation leaves a marker at the revision appended:
 * a reader that read the stream before that append cannot put its older copy back afterwards.
 * Adapters: in memory (embedded, one process) and Redis (redis-tenant-settings-cache.ts).
 */
export type TenantSettingsCache<T> = {
  /** The entry, or undefined (absent, invalidated, or the cache unreachable: read the source). */
  get: (tenantId: string) => Promise<T | undefined>;
  /** After reading the source at `revision`: kept unless the cache already knows a newer revision. */
  fill: (tenantId: string, revision: number, value: T) => Promise<void>;
  /** After appending the tenant's event at `revision`: what was read before it is gone. */
  invalidate: (tenantId: string, revision: number) => Promise<void>;
};

export function createMemoryTenantSettingsCache<T>(): TenantSettingsCache<T> {
  const entries = new Map<string, { revision: number; value: T | undefined }>();
  return {
    async get(tenantId) {
      return entries.get(tenantId)?.value;
    },
    async fill(tenantId, revision, value) {
      const known = entries.get(tenantId);
      if (!known || known.revision <= revision) entries.set(tenantId, { revision, value });
    },
    async invalidate(tenantId, revision) {
      const known = entries.get(tenantId);
      if (!known || known.revision < revision) entries.set(tenantId, { revision, value: undefined });
    },
  };
}
