import type { Pool } from 'pg';
import type { JsonClient } from '../load/http-client';
import type { BenchTenant } from './command-mix';
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
  let sent = 0;
  let failed = 0;
  let notVisible = 0;
  const inFlight: Promise<void>[] = [];
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

  while (Date.now() - start < durationMs) {
    const due = Math.floor(((Date.now() - start) / 1000) * ratePerSecond);
    for (; sent < due; sent++) {
      const tenant = tenants[sent % tenants.length]!;
      const n = sent;
      inFlight.push(client.request('POST', '/v1/members', tenant.token,
        { email: `lag-${run}-${n}@example.org`, firstName: 'Lag', lastName: `Probe ${n}` }).then((reply) => {
        if (reply.status !== 201) {
          failed++;
          return;
        }
        pending.push({ position: reply.body.position, acceptedAt: process.hrtime.bigint(), memberId: reply.body.memberId, tenant });
      }));
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(inFlight);
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
