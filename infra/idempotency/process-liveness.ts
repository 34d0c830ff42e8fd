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
  let taking: Promise<void> | undefined;
  let stopped = false;
  // One attempt at a time; a connection that fails to take the lock goes back to the pool closed.
  const take = () => taking ??= (async () => {
    const next = await pool.connect();
    next.on('error', () => undefined);
    try {
      const { rows } = await next.query('SELECT pg_try_advisory_lock($1, $2) AS held', [livenessLockSpace, holder]);
      if (!rows[0].held) throw new Error('liveness lock still held by a lost session');
      client = next;
    } catch (error) {
      next.release(true);
      throw error;
    }
  })().finally(() => {
    taking = undefined;
  });
  await take();
  // A connection that died silently is noticed, and the lock taken again, within seconds. Until
  // then a retry of this process's requests may be resumed elsewhere (the store fences its writes).
  const probe = setInterval(() => {
    if (stopped) return;
    if (!client) {
      void take().catch(() => undefined);
      return;
    }
    const current = client;
    void current.query('SELECT 1').catch(() => {
      if (client === current) client = undefined;
      current.release(true);
      if (!stopped) void take().catch(() => undefined);
    });
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
