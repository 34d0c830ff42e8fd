import type { Pool } from 'pg';
import { partitionOfKey } from '../../../infra/bus/kafka/partition-of-key';
import { tenantStreamId } from '../../../infra/event-store/stream-name';
import type { JsonClient } from '../../load/http-client';
import type { BenchTenant } from '../command-mix';
import { runOpenLoop } from '../open-loop';
import { round, summarise } from '../stats';

const projection = 'postgres-read-models';

/**
 * End-to-end lag through Kafka: open-loop registrations at a fixed rate into the command API
 * process; for each accepted command, the time until the projector process has applied its
 * position in the partition its stream travels on (the same test the query API makes for
 * X-Consistency-Position), polled from PostgreSQL every few milliseconds.
 */
export async function measureKafkaLag(client: JsonClient, pool: Pool, topic: string, tenants: BenchTenant[], ratePerSecond: number, durationMs: number, run: string) {
  const pending: { position: number; partition: number; acceptedAt: bigint }[] = [];
  const lags: number[] = [];
  let failed = 0;
  const partitionCount = Number((await pool.query(
    'SELECT count(*) AS n FROM projection_partition_offsets WHERE projection = $1 AND topic = $2', [projection, topic])).rows[0].n);
  const start = Date.now();
  let sending = true;

  const poller = (async () => {
    while (sending || pending.length > 0) {
      const { rows } = await pool.query('SELECT partition, position FROM projection_partition_offsets WHERE projection = $1 AND topic = $2', [projection, topic]);
      const applied = new Map(rows.map((row) => [Number(row.partition), Number(row.position)]));
      const now = process.hrtime.bigint();
      for (let i = pending.length - 1; i >= 0; i--) {
        const entry = pending[i]!;
        if ((applied.get(entry.partition) ?? 0) < entry.position) continue;
        lags.push(Number(now - entry.acceptedAt) / 1e6);
        pending.splice(i, 1);
      }
      if (Date.now() - start > durationMs + 60_000) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();

  const sent = await runOpenLoop(ratePerSecond, durationMs, async (n) => {
    const tenant = tenants[n % tenants.length]!;
    const reply = await client.request('POST', '/v1/members', tenant.token, { email: `kafka-lag-${run}-${n}@example.org`, firstName: 'Lag', lastName: `${n}` });
    if (reply.status !== 201) {
      failed++;
      return;
    }
    const partition = partitionOfKey(tenantStreamId('member', tenant.tenantId, reply.body.memberId), partitionCount);
    pending.push({ position: reply.body.position, partition, acceptedAt: process.hrtime.bigint() });
  });
  sending = false;
  await poller;
  return {
    targetCommandsPerSecond: ratePerSecond,
    achievedCommandsPerSecond: round(sent / (durationMs / 1000), 0),
    lagMs: summarise(lags),
    failedCommands: failed,
    neverApplied: pending.length,
  };
}
