import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { round } from '../stats';

/** Clock ticks of the whole machine (busy and all) and of each process, from Linux's /proc. */
type Snapshot = { busy: number; all: number; byPid: Map<number, number>; listenOverflows: number };

function ticksOf(pid: string) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

/** Kernel count of connections dropped because a listening socket's accept queue was full. */
function listenOverflows() {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const header = lines.findIndex((line) => line.startsWith('TcpExt:'));
  const at = lines[header]!.split(' ').indexOf('ListenOverflows');
  return Number(lines[header + 1]!.split(' ')[at]);
}

function snapshot(): Snapshot {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const all = cpu.reduce((sum, n) => sum + n, 0);
  const byPid = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      byPid.set(Number(pid), ticksOf(pid));
    } catch {
      // gone meanwhile
    }
  }
  return { busy: all - cpu[3]! - cpu[4]!, all, byPid, listenOverflows: listenOverflows() };
}

/**
 * Where the machine's CPU went during a phase: the roles measured, their PostgreSQL backends, the
 * benchmark itself, and everything else; the backends also by their pool's application_name (whose
 * statements they ran). On a shared machine "everything else" is other people's work, which the
 * figures then include: a phase is only comparable with one of a similar share.
 * ListenOverflows counts connections the kernel dropped at a full accept queue (why that costs
 * seconds: infra/http/listen-options.ts).
 * Linux only; elsewhere, undefined.
 */
export async function startMachineShare(roles: Record<string, number>, pool: Pick<Pool, 'query'>) {
  if (!existsProc()) return { stop: async () => undefined };
  const before = snapshot();
  return {
    async stop() {
      const { rows } = await pool.query('SELECT pid, application_name FROM pg_stat_activity WHERE datname = current_database()');
      const after = snapshot();
      const spent = (pids: number[]) => pids.reduce((sum, pid) => sum + (after.byPid.get(pid) ?? 0) - (before.byPid.get(pid) ?? 0), 0);
      const wall = after.all - before.all; // ticks of all cores together
      const percentOfOneCore = (ticks: number) => round((ticks / wall) * coreCount() * 100, 0);
      const ofRoles = Object.fromEntries(Object.entries(roles).map(([role, pid]) => [role, percentOfOneCore(spent([pid]))]));
      const postgres = spent(rows.map((row) => Number(row.pid)));
      // Whose statements the backends ran: each role's pool names its connections (application_name).
      const pidsOf = new Map<string, number[]>();
      for (const row of rows) {
        const name = row.application_name || '(unnamed)';
        if (!pidsOf.has(name)) pidsOf.set(name, []);
        pidsOf.get(name)!.push(Number(row.pid));
      }
      const postgresBackendsOf = Object.fromEntries([...pidsOf].map(([name, pids]) => [name, percentOfOneCore(spent(pids))]));
      const own = spent([...Object.values(roles), process.pid]) + postgres;
      return {
        machineBusyPercent: round(((after.busy - before.busy) / wall) * 100, 0),
        percentOfOneCore: { ...ofRoles, bench: percentOfOneCore(spent([process.pid])), postgresBackends: percentOfOneCore(postgres),
          // An external broker (KAFKA_BROKERS), the kernel, and whatever else runs on the machine.
          everythingElse: percentOfOneCore(Math.max(0, after.busy - before.busy - own)) },
        postgresBackendsOf,
        listenOverflows: after.listenOverflows - before.listenOverflows,
      };
    },
  };
}

const existsProc = () => {
  try {
    readFileSync('/proc/stat');
    return true;
  } catch {
    return false;
  }
};

const coreCount = () => readFileSync('/proc/stat', 'utf8').split('\n').filter((line) => /^cpu\d/.test(line)).length;
