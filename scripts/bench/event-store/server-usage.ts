import { readdir, readFile } from 'node:fs/promises';
import type { Pool } from 'pg';

/**
 * What PostgreSQL spent on a phase: WAL bytes written (pg_current_wal_lsn difference) and, when
 * the server runs on this machine, the CPU time of its processes (postmaster and children, from
 * /proc), so that a store's cost per event can be set against a bare INSERT's.
 */
export async function serverUsage(pool: Pool) {
  const postmaster = await postmasterPid(pool);
  const sample = async () => ({
    lsn: (await pool.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn as string,
    ticks: postmaster === null ? null : await ticksOf(postmaster),
  });
  return {
    async measure<T>(phase: () => Promise<T>) {
      const before = await sample();
      const result = await phase();
      const after = await sample();
      const { rows } = await pool.query('SELECT pg_wal_lsn_diff($1, $2)::float8 AS bytes', [after.lsn, before.lsn]);
      const cpuMs = before.ticks === null || after.ticks === null ? null : cpuMsBetween(before.ticks, after.ticks);
      return { result, walBytes: Number(rows[0].bytes), serverCpuMs: cpuMs };
    },
  };
}

async function postmasterPid(pool: Pool): Promise<number | null> {
  const backend = (await pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  const stat = await readStat(backend);
  return stat && stat.command.includes('postgres') ? stat.ppid : null;
}

const clockTicksPerSecond = 100;

/** CPU ticks of each process of the server, by pid. */
async function ticksOf(postmaster: number) {
  const ticks = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readStat(Number(entry));
    if (stat && (stat.pid === postmaster || stat.ppid === postmaster)) ticks.set(stat.pid, stat.ticks);
  }
  return ticks;
}

/**
 * What the processes alive at the end spent since `before` (a backend born meanwhile counts from
 * zero). One that ended meanwhile is left out rather than subtracted: an idle pool closing its
 * connections must not make the figure smaller.
 */
function cpuMsBetween(before: Map<number, number>, after: Map<number, number>) {
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return (ticks * 1000) / clockTicksPerSecond;
}

/** /proc/<pid>/stat: the command sits in parentheses and may hold spaces, so fields count after it. */
async function readStat(pid: number) {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (text === null) return null;
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  return {
    pid, command: text.slice(text.indexOf('(') + 1, close), ppid: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
}
