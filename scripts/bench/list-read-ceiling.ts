import { createPool } from '../../infra/postgres/pool';
import { createReadModelDatabase } from '../../infra/read-models/database';
import { createPreparedReads } from '../../query-api/prepared-reads';
import { decodeCursor } from '../../query-api/routes/members/member-cursor';
import { memberListQuery, toMemberPage, type MemberFilter } from '../../query-api/routes/members/member-page';
import { elapsedMs, round, runFor, summarise } from './stats';

/**
 * The ceiling for comparison with the member-list phase (list-queries.ts): the same four reads in
 * the same rotation (first page, status filter, name sort, second page by cursor), read straight
 * from PostgreSQL by this process as the query role, through the query API's own PreparedReads, at
 * the same concurrency: no HTTP, authentication or JSON on either side. On two cores shared with
 * the platform, this is what the database reads alone leave room for.
 */
export async function measureListReadCeiling(queryDatabaseUrl: string, tenantId: string, concurrency: number, durationMs: number) {
  const pool = createPool({ connectionString: queryDatabaseUrl, max: concurrency, applicationName: 'membership-bench-ceiling' });
  const db = createReadModelDatabase(pool);
  const reads = createPreparedReads(pool);
  const newest: MemberFilter = { sort: '-createdAt' };
  try {
    const [first] = await reads.read(tenantId, [memberListQuery(db, newest, null, 50)]);
    const { nextCursor } = toMemberPage(first, newest, 50);
    if (!nextCursor) throw new Error('the list ceiling needs a tenant of more than 50 members');
    const pages = [
      () => memberListQuery(db, newest, null, 50),
      () => memberListQuery(db, { sort: '-createdAt', status: 'active' }, null, 50),
      () => memberListQuery(db, { sort: 'name' }, null, 50),
      () => memberListQuery(db, newest, decodeCursor(nextCursor, newest.sort), 50),
    ];
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
