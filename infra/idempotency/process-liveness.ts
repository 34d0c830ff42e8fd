import { randomInt } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

/** The first key of every liveness lock (two-key advisory locks), apart from other advisory locks. */
export const livenessLockSpace = 7_241_002;

export type ProcessLiveness = {
  /** This process's number: its lock is held while the process lives. */
  holder: number;
  stop: () => Promise<void>;
};

/**
 * Holds a session-level advisory lock `(livenessLockSpace, holder)` on one connection for the
 * life of the process. A crashed process's connection closes and PostgreSQL frees its lock at
 * once, so "is the lock still held?" (`holderIsAlive`) tells whether a request that process
 * started can still be running. A lost connection is taken again under the same number.
 */
export async function holdProcessLiveness(pool: Pool): Promise<ProcessLiveness> {
  const holder = randomInt(1, 2 ** 31 - 1);
  let client: PoolClient | undefined;
  let stopped = false;
  const take = async () => {
    const next = await pool.connect();
    next.on('error', () => undefined);
    await next.query('SELECT pg_advisory_lock($1, $2)', [livenessLockSpace, holder]);
    client = next;
  };
  await take();
  // A connection that died silently is noticed, and the lock taken again, within seconds.
  const probe = setInterval(() => {
    void client?.query('SELECT 1').catch(async () => {
      client?.release(true);
      client = undefined;
      if (!stopped) await take().catch(() => undefined);
    });
    if (!client && !stopped) void take().catch(() => undefined);
  }, 2_000);
  probe.unref();
  return {
    holder,
    async stop() {
      stopped = true;
      clearInterval(probe);
      await client?.query('SELECT pg_advisory_unlock($1, $2)', [livenessLockSpace, holder]).catch(() => undefined);
      client?.release();
    },
  };
}

/** SQL true while the process numbered by `column` holds its liveness lock. */
export const holderIsAlive = (column: string) => `EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
  AND classid = ${livenessLockSpace} AND objid = ${column} AND objsubid = 2 AND granted)`;
