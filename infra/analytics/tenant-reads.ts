import { z } from 'zod';
import { HttpProblem } from '../http/problem';
import { tenantSetting } from './access/reader-access';
import type { AnalyticsStore } from './port';

/** Per query: ClickHouse cancels a query past either bound (max_execution_time, max_memory_usage). */
export type ReadLimits = { maxExecutionSeconds: number; maxMemoryBytes: number };

/** The bounds embedded mode reads under (ANALYTICS_QUERY_MAX_SECONDS / _MAX_MEMORY_BYTES's defaults). */
export const defaultReadLimits: ReadLimits = { maxExecutionSeconds: 10, maxMemoryBytes: 1024 ** 3 };

/** A query stopped by its bounds: the caller asked too much at once (a narrower range is the way out). */
export const analyticsQueryLimitCode = 'analytics-query-limit-exceeded';
const limitErrorCodes = new Set(['159', '160', '241']); // TIMEOUT_EXCEEDED, TOO_SLOW, MEMORY_LIMIT_EXCEEDED

const uuid = z.guid();

/**
 * The analytics store as the query API reads it. Every read names its tenant as the `tenant`
 * parameter (every query of query-api/analytics/ binds `{tenant:UUID}`); a read without one is
 * refused before it runs. Each read carries `limits`, and on a server also the tenant as the
 * setting the reader's row policies filter on (access/reader-access.ts), so the server returns
 * that tenant's rows only, whatever the SQL says. chDB has no access control: embedded, the
 * limits and the refusal apply, the row policies cannot. Writes are refused: this store only reads.
 */
export function tenantReads(store: AnalyticsStore, limits: ReadLimits): AnalyticsStore {
  const refuseWrite = async () => { throw new Error('The query API reads analytics; it never writes them'); };
  return {
    ...store,
    command: refuseWrite,
    insert: refuseWrite,
    async query<T>(sql: string, params?: Record<string, unknown>, settings?: Record<string, string | number>) {
      const tenant = params?.tenant;
      if (typeof tenant !== 'string' || !uuid.safeParse(tenant).success) {
        throw new Error('An analytics read must name its tenant ({tenant:UUID}, params.tenant)');
      }
      const bounded = { ...settings, max_execution_time: limits.maxExecutionSeconds, max_memory_usage: limits.maxMemoryBytes };
      try {
        return await store.query<T>(sql, params, store.engine === 'server' ? { ...bounded, [tenantSetting]: tenant } : bounded);
      } catch (error) {
        if (!limitErrorCodes.has(String((error as { code?: unknown }).code))) throw error;
        throw new HttpProblem(503, analyticsQueryLimitCode, 'Service unavailable',
          `The analytics query went past its limits (${limits.maxExecutionSeconds} s, ${limits.maxMemoryBytes} bytes); ask for a shorter range.`);
      }
    },
  };
}
