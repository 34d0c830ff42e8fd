import type { Redis } from '../redis/redis-client';
import type { TenantSettingsCache } from './tenant-settings-cache';

/**
 * Sets the entry (ARGV[2], '' for an invalidation marker) at revision ARGV[1] unless the stored one
 * is newer; ARGV[3] = '1' lets an equal revision replace it (a fill of what the marker's append
 * wrote), '0' does not (an invalidation of what an entry already holds). One round trip, atomic.
 */
const setIfNewerScript = `
local stored = redis.call('HGET', KEYS[1], 'revision')
local revision = tonumber(ARGV[1])
if stored then
  stored = tonumber(stored)
  if stored > revision or (stored == revision and ARGV[3] == '0') then return 0 end
end
redis.call('HSET', KEYS[1], 'revision', ARGV[1], 'value', ARGV[2])
return 1
`;

type WithSetIfNewer = { setTenantSettingsIfNewer: (numberOfKeys: number, key: string, revision: string, value: string, equalWins: string) => Promise<number> };

/** While Redis is failing, it is asked again at most this often; meanwhile the cache is bypassed. */
const defaultRetryMs = 1_000;

/**
 * The distributed mode's tenant settings cache, shared by every process that reads or changes
 * tenants; JSON values. With Redis failing it is bypassed (a miss: read the source), never a failed
 * request, and the failure goes to `onError` once per outage. An invalidation Redis did not take is
 * kept, sent again every retryMs until Redis answers, and until then this process does not trust the
 * entry; an outage cannot leave an old entry behind, unless this process stops before Redis answers
 * again (a redis-server restarted without persistence comes back empty, which is safe).
 */
export function createRedisTenantSettingsCache<T>(redis: Redis, options: { onError?: (error: unknown) => void; retryMs?: number } = {}): TenantSettingsCache<T> {
  redis.defineCommand('setTenantSettingsIfNewer', { lua: setIfNewerScript });
  const client = redis as unknown as WithSetIfNewer;
  const retryMs = options.retryMs ?? defaultRetryMs;
  const key = (tenantId: string) => `tenant-settings:${tenantId}`;
  const unsent = new Map<string, number>();
  let failing = false;
  let nextAttemptAt = 0;

  const setIfNewer = (tenantId: string, revision: number, value: string, equalWins: boolean) =>
    client.setTenantSettingsIfNewer(1, key(tenantId), String(revision), value, equalWins ? '1' : '0');

  /** Runs `work` against Redis unless it failed within retryMs; undefined when it did not answer. */
  async function attempt<R>(work: () => Promise<R>): Promise<R | undefined> {
    if (failing && Date.now() < nextAttemptAt) return undefined;
    nextAttemptAt = Date.now() + retryMs;
    try {
      const result = await work();
      failing = false;
      return result;
    } catch (error) {
      if (!failing) options.onError?.(error);
      failing = true;
      nextAttemptAt = Date.now() + retryMs;
      return undefined;
    }
  }

  async function resendInvalidations() {
    for (const [tenantId, revision] of [...unsent]) {
      await setIfNewer(tenantId, revision, '', false);
      if (unsent.get(tenantId) === revision) unsent.delete(tenantId);
    }
  }

  /** Owed invalidations are sent again every retryMs until Redis takes them, even if this process asks nothing more. */
  let resendTimer: NodeJS.Timeout | undefined;
  function scheduleResend() {
    if (resendTimer || unsent.size === 0) return;
    resendTimer = setTimeout(async () => {
      resendTimer = undefined;
      await attempt(resendInvalidations);
      scheduleResend();
    }, retryMs);
    resendTimer.unref();
  }

  /** Whether the cache may be used for this tenant: not while an invalidation of it is still owed. */
  async function settled(tenantId: string) {
    if (unsent.size > 0) await attempt(resendInvalidations);
    return !unsent.has(tenantId);
  }

  return {
    async get(tenantId) {
      if (!(await settled(tenantId))) return undefined;
      const value = await attempt(() => redis.hget(key(tenantId), 'value'));
      return value ? (JSON.parse(value) as T) : undefined;
    },
    async fill(tenantId, revision, value) {
      if (!(await settled(tenantId))) return;
      await attempt(() => setIfNewer(tenantId, revision, JSON.stringify(value), true));
    },
    async invalidate(tenantId, revision) {
      unsent.set(tenantId, Math.max(revision, unsent.get(tenantId) ?? -1));
      const sent = await attempt(() => setIfNewer(tenantId, revision, '', false));
      if (sent !== undefined && unsent.get(tenantId) === revision) unsent.delete(tenantId);
      scheduleResend();
    },
  };
}
