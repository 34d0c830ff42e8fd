import type { JsonClient } from '../load/http-client';
import { elapsedMs, round, runFor, summarise } from './stats';

/**
 * Member-list queries on one large tenant: first pages under each sort and a status filter, and
 * follow-up pages by cursor, as an admin UI issues them.
 */
export async function measureListQueries(client: JsonClient, token: string, concurrency: number, durationMs: number) {
  const first = await client.request('GET', '/v1/members?limit=50', token);
  if (first.status !== 200) throw new Error(`list failed: ${first.status} ${JSON.stringify(first.body)}`);
  const urls = [
    '/v1/members?limit=50',
    '/v1/members?limit=50&status=active',
    '/v1/members?limit=50&sort=name',
    `/v1/members?limit=50&cursor=${first.body.nextCursor}`,
  ];
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
