import type { Pool, PoolClient } from 'pg';

export type Leadership = {
  /** Resolves if the session holding the lock is lost: the holder must stop working at once. */
  lost: Promise<void>;
  release: () => Promise<void>;
};

/**
 * Waits until this process holds the session-level advisory lock named `name`, so that one
 * instance of a singleton worker (the publisher) is active and the others stand by. The lock lives
 * as long as the connection: a crashed holder's lock is freed by PostgreSQL at once.
 */
export async function acquireLeadership(pool: Pool, name: string, options: { retryMs?: number; onWaiting?: () => void } = {}): Promise<Leadership> {
  const client: PoolClient = await pool.connect();
  let warned = false;
  for (;;) {
    const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS held', [name]);
    if (rows[0].held) break;
    if (!warned) options.onWaiting?.();
    warned = true;
    await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 2_000));
  }
  let released = false;
  const lost = new Promise<void>((resolve) => {
    const onGone = () => {
      if (!released) resolve();
    };
    client.on('error', onGone);
    client.on('end', onGone);
  });
  // A connection that dies silently is noticed by this probe within seconds.
  const probe = setInterval(() => void client.query('SELECT 1').catch(() => undefined), 5_000);
  probe.unref();
  return {
    lost,
    async release() {
      released = true;
      clearInterval(probe);
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => undefined);
      client.release();
    },
  };
}
