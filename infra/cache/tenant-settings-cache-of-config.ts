import { createRedisClient } from '../redis/redis-client';
import { createRedisTenantSettingsCache } from './redis-tenant-settings-cache';
import type { TenantSettingsCache } from './tenant-settings-cache';

/**
 * A distributed process's tenant settings cache: in Redis when REDIS_URL is set. Without Redis
 * there is none (undefined): a cache in one process's memory would miss the invalidations of the
 * others (the scheduler suspends tenants in its own process).
 */
export function tenantSettingsCacheOfConfig<T>(config: { REDIS_URL?: string | undefined }, name: string): {
  cache: TenantSettingsCache<T> | undefined; close: () => Promise<void>;
} {
  if (!config.REDIS_URL) return { cache: undefined, close: async () => undefined };
  const client = createRedisClient(config.REDIS_URL, { name, onError: (error) => console.error(`Redis (${name}):`, error.message) });
  const cache = createRedisTenantSettingsCache<T>(client, {
    onError: (error) => console.error(`${name}: Redis failed, reading tenants from the event store until it answers:`, error instanceof Error ? error.message : error) });
  return { cache, close: async () => void (await client.quit().catch(() => client.disconnect())) };
}
