import stringify from 'safe-stable-stringify';
import type { AnalyticsStore, QuerySettings } from '../../infra/analytics/port';
import type { AnalyticsVersions } from '../analytics-versions';

export type AnswerCacheOptions = {
  versions: AnalyticsVersions;
  /** Answers kept at most (least recently used dropped first, after the asking tenant's own over its share). */
  maxEntries?: number;
  /** One tenant's share: at most this many answers (200 by default) and a fifth of maxRows, so that a tenant asking many or long questions pushes out its own answers, not everyone's. */
  maxEntriesPerTenant?: number;
  /** Rows kept at most over all answers: a five-year day series is 1,830 rows, and memory is bounded. */
  maxRows?: number;
};

export type AnalyticsAnswerCache = ReturnType<typeof createAnalyticsAnswerCache>;

type Answer = readonly unknown[];
type Entry = { answer: Promise<Answer>; rows: number; tenant: string };

/**
 * A query naming the clock in its SQL would answer differently tomorrow under the same key: never
 * cached. The analytics queries take "today" as a bound parameter (date-range.ts), so the key has it.
 */
const readsTheClock = /\b(now|now64|today|yesterday|currentDate|nowInBlock|UTCTimestamp)\s*\(/i;

/**
 * The answers of analytics queries, kept per tenant, query and bound parameters, under the
 * tenant's analytics data version (query-api/analytics-versions.ts): an answer is served only while the
 * version it was computed under is current, so a new event applied to the tenant's ClickHouse rows
 * stops it, and no other tenant's does. The query text names the route's question, and the
 * parameters are the route's after its defaults are resolved, dates included ("today", the
 * window's ends): after midnight UTC the key is another one. Bounded: a tenant over its share
 * loses its own least recently used answers first, then anyone's go while the cache is over its
 * bounds. Concurrent identical misses share one
 * query; a failed query is forgotten at once (its waiters get the error, the next caller retries).
 * Embedded, chDB runs one query at a time: a dashboard's repeated questions no longer queue there.
 */
export function createAnalyticsAnswerCache(options: AnswerCacheOptions) {
  const maxEntries = options.maxEntries ?? 1000;
  const maxEntriesPerTenant = options.maxEntriesPerTenant ?? 200;
  const maxRows = options.maxRows ?? 200_000;
  // A fifth of the rows per tenant: one tenant's long series cannot push out everyone's answers.
  const maxRowsPerTenant = Math.ceil(maxRows / 5);
  const entries = new Map<string, Entry>();
  const shares = new Map<string, { entries: number; rows: number }>();
  const counts = { hits: 0, misses: 0, rows: 0 };

  const shareOf = (tenant: string) => {
    let share = shares.get(tenant);
    if (!share) shares.set(tenant, share = { entries: 0, rows: 0 });
    return share;
  };
  const remove = (key: string, entry: Entry) => {
    entries.delete(key);
    counts.rows -= entry.rows;
    const share = shareOf(entry.tenant);
    share.entries -= 1;
    share.rows -= entry.rows;
    if (share.entries === 0) shares.delete(entry.tenant);
  };
  const overShare = (tenant: string) => {
    const share = shares.get(tenant);
    return share !== undefined && (share.entries > maxEntriesPerTenant || share.rows > maxRowsPerTenant);
  };
  /** Least recently used first: the tenant's own while it is over its share, then anyone's while the cache is over its bounds. */
  const evict = (tenant: string) => {
    for (const [key, entry] of entries) {
      if (!overShare(tenant)) break;
      if (entry.tenant === tenant) remove(key, entry);
    }
    for (const [key, entry] of entries) {
      if (entries.size <= maxEntries && counts.rows <= maxRows) break;
      remove(key, entry);
    }
  };

  const answer = (tenant: string, key: string, run: () => Promise<Answer>): Promise<Answer> => {
    const known = entries.get(key);
    if (known) {
      counts.hits += 1;
      entries.delete(key);
      entries.set(key, known);
      return known.answer;
    }
    counts.misses += 1;
    const entry: Entry = { answer: run().then(freezeRows), rows: 0, tenant };
    entries.set(key, entry);
    shareOf(tenant).entries += 1;
    evict(tenant);
    entry.answer.then((rows) => {
      if (entries.get(key) !== entry) return;
      entry.rows = rows.length;
      counts.rows += rows.length;
      shareOf(tenant).rows += rows.length;
      evict(tenant);
    }, () => {
      if (entries.get(key) === entry) remove(key, entry);
    });
    return entry.answer;
  };

  return {
    /**
     * The store as one request reads it: each tenant's version is read at the request's first
     * query of it (so after any X-Consistency-Position wait) and holds for the whole request, so
     * its answers agree with each other. Give each request its own.
     */
    forRequest(store: AnalyticsStore): AnalyticsStore {
      const versions = new Map<string, Promise<number>>();
      const versionOf = (tenant: string) => {
        let version = versions.get(tenant);
        if (!version) versions.set(tenant, version = options.versions.versionOf(tenant));
        return version;
      };
      return {
        ...store,
        async query<T>(sql: string, params?: Record<string, unknown>, settings?: QuerySettings): Promise<T[]> {
          const tenant = params?.tenant;
          // Without a tenant the store refuses the read; with the clock in it, tomorrow differs.
          if (typeof tenant !== 'string' || readsTheClock.test(sql)) return store.query<T>(sql, params, settings);
          const key = stringify([tenant, await versionOf(tenant), sql, params, settings ?? null]);
          return await answer(tenant, key, () => store.query<T>(sql, params, settings)) as T[];
        },
      };
    },
    stats: () => ({ entries: entries.size, ...counts }),
    /** Prometheus text for the query API's /metrics: the hit ratio is what tells an operator the cache earns its memory. */
    metrics: () => ['# TYPE analytics_answer_cache_hits_total counter', `analytics_answer_cache_hits_total ${counts.hits}`,
      '# TYPE analytics_answer_cache_misses_total counter', `analytics_answer_cache_misses_total ${counts.misses}`,
      '# TYPE analytics_answer_cache_entries gauge', `analytics_answer_cache_entries ${entries.size}`,
      '# TYPE analytics_answer_cache_rows gauge', `analytics_answer_cache_rows ${counts.rows}`].join('\n') + '\n',
  };
}

/** Answers are shared by every request that asks: a caller changing one would change them all. */
function freezeRows(rows: readonly unknown[]): Answer {
  for (const row of rows) Object.freeze(row);
  return Object.freeze(rows);
}
