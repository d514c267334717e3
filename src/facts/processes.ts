// Running processes and the resource limits of the ones a policy asks about.
// Every process gets the cheap identity reads (comm, status, cmdline, exe, cgroup) so selectors can
// be resolved later without another pass; /proc/PID/limits is read only for the wanted ones.

import type { FamilyError, LimitValue, ProcessFact, ProcessesFact } from './model.js';
import type { Transport } from '../transport/types.js';
import { mapBounded } from '../lib/concurrency.js';
import { errCode, errText } from '../lib/errno.js';
import { readUsers } from './passwd.js';
import { processMatchesName } from './readings/processes.js';

/** /proc/PID/limits row labels -> the item names ulimit and limits.conf use. */
const LIMIT_ITEMS: Readonly<Record<string, string>> = {
  'Max cpu time': 'cpu',
  'Max file size': 'fsize',
  'Max data size': 'data',
  'Max stack size': 'stack',
  'Max core file size': 'core',
  'Max resident set': 'rss',
  'Max processes': 'nproc',
  'Max open files': 'nofile',
  'Max locked memory': 'memlock',
  'Max address space': 'as',
  'Max file locks': 'locks',
  'Max pending signals': 'sigpending',
  'Max msgqueue size': 'msgqueue',
  'Max nice priority': 'nice',
  'Max realtime priority': 'rtprio',
  'Max realtime timeout': 'rttime',
};

function limitNumber(s: string | undefined): number | 'unlimited' | undefined {
  if (s === 'unlimited') return 'unlimited';
  if (s === undefined || !/^-?\d+$/.test(s)) return undefined;
  return Number(s);
}

export function parseLimits(text: string): Record<string, LimitValue> {
  const out: Record<string, LimitValue> = {};
  for (const line of text.split('\n')) {
    // Labels contain single spaces and are padded with more, so match known labels rather than split on "  ".
    const label = Object.keys(LIMIT_ITEMS).find((l) => line.startsWith(l + ' '));
    if (!label) continue;
    const [softS, hardS, unit] = line.slice(label.length).trim().split(/\s+/);
    const soft = limitNumber(softS);
    const hard = limitNumber(hardS);
    if (soft === undefined || hard === undefined) continue;
    out[LIMIT_ITEMS[label] as string] = { soft, hard, ...(unit ? { unit } : {}) };
  }
  return out;
}

const UNIT_SUFFIX = /\.(service|scope|socket|mount|swap|target|device|automount|timer|path)$/;

/**
 * The systemd (system manager) unit a process belongs to, from /proc/PID/cgroup text.
 * Mirrors sd_pid_get_unit: the first non-slice path component. Login sessions (session-N.scope) are
 * not units anyone targets by name, so they yield undefined; processes under a user manager report
 * user@UID.service, the system unit that contains them.
 */
export function parseCgroupUnit(text: string): string | undefined {
  let v2: string | undefined;
  let v1: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '0' && m[2] === '') v2 = m[3];
    else if (m[2]?.split(',').includes('name=systemd')) v1 = m[3];
  }
  // On hybrid hosts the unified hierarchy may exist but stay empty ("/"), with systemd tracking in v1.
  const path = v2 && v2 !== '/' ? v2 : v1;
  if (!path) return undefined;
  for (const part of path.split('/')) {
    if (!part || part.endsWith('.slice')) continue;
    if (!UNIT_SUFFIX.test(part)) return undefined;
    if (/^session-.+\.scope$/.test(part)) return undefined;
    return part;
  }
  return undefined;
}

function parseStatusUid(text: string): number | undefined {
  const m = /^Uid:\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

export interface ProcessWant {
  pids?: number[];
  names?: string[];
  units?: string[];
  pidfiles?: string[];
  all?: boolean;
}

const SYSTEMD_MISSING: FamilyError = { error: 'systemd not available (systemctl not found)' };

async function readPidfile(t: Transport, path: string): Promise<number | FamilyError> {
  let text: string;
  try {
    text = await t.readFile(path);
  } catch (err) {
    return { error: `pidfile ${path}: ${errText(err)}` };
  }
  const first = text.trim().split(/\s+/)[0] ?? '';
  const pid = Number(first);
  if (!/^\d+$/.test(first) || pid <= 0) {
    return { error: `pidfile ${path}: does not contain a pid (${JSON.stringify(text.trim().slice(0, 40))})` };
  }
  return pid;
}

async function unitMainPids(t: Transport, units: string[], timeoutMs: number): Promise<Record<string, number | FamilyError>> {
  const out: Record<string, number | FamilyError> = {};
  let missing = false;
  await mapBounded(units, 4, async (unit) => {
    if (missing) {
      out[unit] = { ...SYSTEMD_MISSING };
      return;
    }
    try {
      // "--" keeps a unit name that starts with "-" from being read as an option.
      const r = await t.exec('systemctl', ['show', '-p', 'MainPID', '--value', '--', unit], { timeoutMs });
      const v = r.stdout.trim();
      if (r.exitCode !== 0 || !/^\d+$/.test(v)) {
        const why = r.stderr.trim().split('\n')[0] || `exit code ${r.exitCode}`;
        out[unit] = { error: `systemctl show ${unit}: ${why}` };
      } else {
        out[unit] = Number(v);
      }
    } catch (err) {
      if (errCode(err) === 'ENOENT') {
        missing = true;
        out[unit] = { ...SYSTEMD_MISSING };
      } else {
        out[unit] = { error: `systemctl show ${unit}: ${(err as Error).message}` };
      }
    }
  });
  return out;
}

// Bounded so a host with thousands of processes does not open thousands of files at once.
const PROC_CONCURRENCY = 32;

export async function collectProcesses(t: Transport, want: ProcessWant = {}, timeoutMs = 5_000): Promise<ProcessesFact> {
  const [entries, users, units, pidfileList] = await Promise.all([
    t.readDir('/proc'),
    readUsers(t),
    unitMainPids(t, [...new Set(want.units ?? [])], timeoutMs),
    Promise.all([...new Set(want.pidfiles ?? [])].map(async (p) => [p, await readPidfile(t, p)] as const)),
  ]);
  const pidfiles: Record<string, number | FamilyError> = Object.fromEntries(pidfileList);

  const wantedPids = new Set<number>(want.pids ?? []);
  for (const v of [...Object.values(pidfiles), ...Object.values(units)]) if (typeof v === 'number' && v > 0) wantedPids.add(v);
  const wantedNames = want.names ?? [];
  const wantedUnits = new Set(want.units ?? []);
  const isWanted = (p: ProcessFact): boolean =>
    want.all === true ||
    wantedPids.has(p.pid) ||
    wantedNames.some((n) => processMatchesName(p, n)) ||
    // Every process in the unit's cgroup, not only MainPID: this is also how units resolve without systemctl.
    (p.unit !== undefined && wantedUnits.has(p.unit));

  // Only pids asked for (the owners of listening sockets, say): no need to look at every other process.
  const byPidOnly = want.all !== true && wantedNames.length === 0 && wantedUnits.size === 0;
  const pids = byPidOnly ? [...wantedPids].sort((a, b) => a - b) : entries.filter((n) => /^\d+$/.test(n)).map(Number);
  const results = await mapBounded(pids, PROC_CONCURRENCY, async (pid): Promise<ProcessFact | undefined> => {
    const base = `/proc/${pid}`;
    const [comm, status, cmdline, cgroup, exe] = await Promise.all([
      t.readFile(`${base}/comm`).catch(() => undefined),
      t.readFile(`${base}/status`).catch(() => undefined),
      t.readFile(`${base}/cmdline`).catch(() => undefined),
      t.readFile(`${base}/cgroup`).catch(() => undefined),
      // Kernel threads have no exe, and other users' exe links need ptrace rights: both are normal.
      t.readLink(`${base}/exe`).catch(() => undefined),
    ]);
    const uid = status === undefined ? undefined : parseStatusUid(status);
    // comm and status are world-readable: failing to read them means the process has exited.
    if (comm === undefined || uid === undefined) return undefined;
    const args = cmdline?.split('\0').filter((a) => a !== '');
    const unit = cgroup === undefined ? undefined : parseCgroupUnit(cgroup);
    const user = users.get(uid);
    const p: ProcessFact = {
      pid,
      comm: comm.replace(/\n$/, ''),
      ...(exe !== undefined ? { exe } : {}),
      ...(args && args.length > 0 ? { cmdline: args.join(' ') } : {}),
      uid,
      ...(user !== undefined ? { user } : {}),
      ...(unit !== undefined ? { unit } : {}),
    };
    if (isWanted(p)) {
      try {
        p.limits = parseLimits(await t.readFile(`${base}/limits`));
      } catch (err) {
        if (errCode(err) === 'ENOENT' || errCode(err) === 'ESRCH') return undefined;
        p.limits = { error: `/proc/${pid}/limits: ${errText(err)}` };
      }
    }
    return p;
  });
  return {
    // The snapshot keeps what the checks select from: wanted processes only (the rest is noise, and private).
    processes: results.filter((p): p is ProcessFact => p !== undefined && isWanted(p)),
    pidfiles,
    units,
  };
}
