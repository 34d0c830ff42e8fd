import type { Pool } from 'pg';
import type { JsonClient } from '../load/http-client';
import type { BenchTenant } from './command-mix';
import { runOpenLoop } from './open-loop';
import { round, summarise } from './stats';

/**
 * Open-loop load at a fixed command rate; for each accepted command, the time until the read-model
 * checkpoint (committed with the rows, so what the query API sees) passes its position. A sample
 * of members is also fetched from the query API to confirm they are visible there.
 */
export async function measureProjectionLag(
  client: JsonClient, queryClient: JsonClient, pool: Pool, tenants: BenchTenant[], ratePerSecond: number, durationMs: number, run: string,
) {
  const pending: { position: number; acceptedAt: bigint; memberId: string; tenant: BenchTenant }[] = [];
  const lags: number[] = [];
  let failed = 0;
  let notVisible = 0;
  const start = Date.now();
  let polling = true;

  const poller = (async () => {
    while (polling || pending.length > 0) {
      const { rows } = await pool.query(`SELECT position FROM projection_checkpoints WHERE projection = 'postgres-read-models'`);
      const checkpoint = Number(rows[0]?.position ?? 0);
      const now = process.hrtime.bigint();
      for (let i = pending.length - 1; i >= 0; i--) {
        const entry = pending[i]!;
        if (entry.position > checkpoint) continue;
        lags.push(Number(now - entry.acceptedAt) / 1e6);
        pending.splice(i, 1);
        if (lags.length % 50 === 0) {
          const seen = await queryClient.request('GET', `/v1/members/${entry.memberId}`, entry.tenant.token);
          if (seen.status !== 200) notVisible++;
        }
      }
      if (Date.now() - start > durationMs + 30_000) break;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  })();

  const sent = await runOpenLoop(ratePerSecond, durationMs, async (n) => {
    const tenant = tenants[n % tenants.length]!;
    const reply = await client.request('POST', '/v1/members', tenant.token,
      { email: `lag-${run}-${n}@example.org`, firstName: 'Lag', lastName: `Probe ${n}` });
    if (reply.status !== 201) {
      failed++;
      return;
    }
    pending.push({ position: reply.body.position, acceptedAt: process.hrtime.bigint(), memberId: reply.body.memberId, tenant });
  });
  polling = false;
  await poller;
  return {
    targetCommandsPerSecond: ratePerSecond,
    achievedCommandsPerSecond: round(sent / (durationMs / 1000), 0),
    lagMs: summarise(lags),
    failedCommands: failed,
    sampledNotVisibleInQueryApi: notVisible,
    neverApplied: pending.length,
  };
}
