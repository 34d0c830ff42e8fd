import { createPool } from '../../infra/postgres/pool';
import { createReadModelDatabase } from '../../infra/read-models/database';
import { refusePrivilegedQueryRole } from '../../infra/read-models/refuse-privileged-role';
import { createPreparedReads } from '../../query-api/prepared-reads';
import { decodeCursor } from '../../query-api/routes/members/member-cursor';
import { memberListQuery, toMemberPage } from '../../query-api/routes/members/member-page';
import { listPageSize, listReads } from './list-queries';
import { elapsedMs, round, runFor, summarise } from './stats';

/**
 * The ceiling for comparison with the member-list phase: its reads (listReads, in the same
 * rotation) straight from PostgreSQL by this process as the query role, through the query API's
 * own PreparedReads, at the same concurrency, with none of HTTP, authentication, the member view or
 * JSON. On two cores shared with the platform, this is what the database reads alone leave room for.
 */
export async function measureListReadCeiling(queryDatabaseUrl: string, tenantId: string, concurrency: number, durationMs: number) {
  const pool = createPool({ connectionString: queryDatabaseUrl, max: concurrency, applicationName: 'membership-bench-ceiling' });
  const db = createReadModelDatabase(pool);
  const reads = createPreparedReads(pool);
  try {
    // Under row-level security, as the query API reads: a privileged role would measure reads without it.
    await refusePrivilegedQueryRole(pool);
    const newest = listReads[0]!.filter;
    const [first] = await reads.read(tenantId, [memberListQuery(db, newest, null, listPageSize)]);
    const { nextCursor } = toMemberPage(first, newest, listPageSize);
    if (!nextCursor) throw new Error(`the list ceiling needs a tenant of more than ${listPageSize} members`);
    const pages = listReads.map(({ filter, secondPage }) => {
      const after = secondPage ? decodeCursor(nextCursor, filter.sort) : null;
      return () => memberListQuery(db, filter, after, listPageSize);
    });
    const latencies: number[] = [];
    const wallMs = await runFor(durationMs, concurrency, async (worker) => {
      const start = process.hrtime.bigint();
      await reads.read(tenantId, [pages[(worker + latencies.length) % pages.length]!()]);
      latencies.push(elapsedMs(start));
    });
    return { readsPerSecond: round(latencies.length / (wallMs / 1000), 0), latencyMs: summarise(latencies) };
  } finally {
    await pool.end();
  }
}
