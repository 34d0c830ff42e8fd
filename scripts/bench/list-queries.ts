import type { JsonClient } from '../load/http-client';
import type { MemberFilter } from '../../query-api/routes/members/member-page';
import { elapsedMs, round, runFor, summarise } from './stats';

export const listPageSize = 50;

/**
 * The reads of the list phase, in rotation, as an admin UI issues them: first pages under each
 * sort and a status filter, and a follow-up page by cursor. Each as its query string and as the
 * filter the route parses it into: list-read-ceiling.ts reads the same pages straight from
 * PostgreSQL.
 */
export const listReads: { query: string; filter: MemberFilter; secondPage?: true }[] = [
  { query: '', filter: { sort: '-createdAt' } },
  { query: '&status=active', filter: { sort: '-createdAt', status: 'active' } },
  { query: '&sort=name', filter: { sort: 'name' } },
  { query: '', filter: { sort: '-createdAt' }, secondPage: true },
];

/** Member-list queries on one large tenant, listReads in rotation. */
export async function measureListQueries(client: JsonClient, token: string, concurrency: number, durationMs: number) {
  const first = await client.request('GET', `/v1/members?limit=${listPageSize}`, token);
  if (first.status !== 200) throw new Error(`list failed: ${first.status} ${JSON.stringify(first.body)}`);
  const urls = listReads.map(({ query, secondPage }) =>
    `/v1/members?limit=${listPageSize}${query}${secondPage ? `&cursor=${first.body.nextCursor}` : ''}`);
  const latencies: number[] = [];
  let failures = 0;
  const wallMs = await runFor(durationMs, concurrency, async (worker) => {
    const start = process.hrtime.bigint();
    const reply = await client.request('GET', urls[(worker + latencies.length) % urls.length]!, token);
    latencies.push(elapsedMs(start));
    if (reply.status !== 200) failures++;
  });
  return {
    membersInTenant: first.body.total as number,
    concurrency,
    queriesPerSecond: round(latencies.length / (wallMs / 1000), 0),
    latencyMs: summarise(latencies),
    failures,
  };
}
