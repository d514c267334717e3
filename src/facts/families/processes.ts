// Running processes and the resource limits of the ones a policy asks about.
// Every process gets the cheap identity reads (comm, status, cmdline, exe, cgroup) so selectors can
// be resolved later without another pass; /proc/PID/limits is read only for the wanted ones.

import type { FamilyError, LimitValue, ProcessFact, ProcessesFact } from '../model.js';
import type { RawView } from '../../transport/raw.js';
import type { RawFailure, RawRequest } from '../../transport/types.js';
import { isFailure } from '../../transport/types.js';
import type { FamilyModule } from '../family.js';
import { PASSWD_NEED, usersOf } from '../passwd.js';
import { OWNER_NEEDS, SOCKET_HOLDERS, listenerOwnerPids } from '../socket-table.js';
import { processMatchesName } from '../readings/processes.js';

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
  /** The processes that own a listening socket. */
  listeners?: boolean;
  all?: boolean;
  /** For the programs run (systemctl). */
  timeoutMs?: number;
}

const SYSTEMD_MISSING: FamilyError = { error: 'systemd not available (systemctl not found)' };

function pidfileOf(raw: RawView, path: string): number | FamilyError {
  const text = raw.read(path);
  if (typeof text !== 'string') return { error: `pidfile ${path}: ${failureText(text)}` };
  const first = text.trim().split(/\s+/)[0] ?? '';
  const pid = Number(first);
  if (!/^\d+$/.test(first) || pid <= 0) {
    return { error: `pidfile ${path}: does not contain a pid (${JSON.stringify(text.trim().slice(0, 40))})` };
  }
  return pid;
}

function failureText(f: RawFailure): string {
  return f.error === 'ENOENT' ? 'not found' : f.error === 'EACCES' || f.error === 'EPERM' ? 'permission denied' : f.message;
}

// "--" keeps a unit name that starts with "-" from being read as an option.
const unitArgv = (unit: string): string[] => ['systemctl', 'show', '-p', 'MainPID', '--value', '--', unit];

function unitMainPid(raw: RawView, unit: string): number | FamilyError {
  const r = raw.run(unitArgv(unit));
  if (isFailure(r)) return r.error === 'ENOENT' ? { ...SYSTEMD_MISSING } : { error: `systemctl show ${unit}: ${r.message}` };
  const v = r.stdout.trim();
  if (r.exitCode !== 0 || !/^\d+$/.test(v)) {
    const why = r.stderr.trim().split('\n')[0] || `exit code ${r.exitCode}`;
    return { error: `systemctl show ${unit}: ${why}` };
  }
  return Number(v);
}

/** The per-process files read for each process that may be wanted; limits only matter for the wanted ones. */
const PER_PROCESS = ['comm', 'status', 'cmdline', 'cgroup', 'limits', 'exe'] as const;
type ProcessFile = (typeof PER_PROCESS)[number];
const takeOf = (f: ProcessFile): 'read' | 'link' => (f === 'exe' ? 'link' : 'read');

/**
 * Which processes to read. A name, a unit or a pidfile can only be matched after reading every process; "the
 * processes that listen" are among those that hold a socket, which the transport can select with the same batch
 * (a link filter over /proc/PID/fd), so the default audit reads a handful of processes, not all of them.
 */
function scopeOf(want: ProcessWant): { everyone: boolean; socketHolders: boolean; pids: number[] } {
  const everyone = want.all === true || (want.names?.length ?? 0) > 0 || (want.units?.length ?? 0) > 0 || (want.pidfiles?.length ?? 0) > 0;
  return { everyone, socketHolders: !everyone && want.listeners === true, pids: everyone ? [] : [...new Set(want.pids ?? [])].sort((a, b) => a - b) };
}

function requestsOf(want: ProcessWant): RawRequest[] {
  const scope = scopeOf(want);
  if (scope.everyone) return PER_PROCESS.map((f) => ({ op: 'glob', pattern: `/proc/[0-9]*/${f}`, take: takeOf(f) }));
  return [
    ...(scope.socketHolders ? PER_PROCESS.map((f): RawRequest => ({ op: 'glob', pattern: `/proc/[0-9]*/${f}`, take: takeOf(f), where: SOCKET_HOLDERS })) : []),
    ...scope.pids.flatMap((pid) =>
      PER_PROCESS.map((f): RawRequest => (f === 'exe' ? { op: 'link', path: `/proc/${pid}/exe` } : { op: 'read', path: `/proc/${pid}/${f}` })),
    ),
  ];
}

type Files = Record<ProcessFile, Record<string, string | RawFailure>>;

/** Every process file read, by path, from the globs and the single reads alike. */
function filesOf(raw: RawView, want: ProcessWant): Files {
  const scope = scopeOf(want);
  const files = Object.fromEntries(PER_PROCESS.map((f) => [f, {}])) as Files;
  for (const f of PER_PROCESS) {
    if (scope.everyone || scope.socketHolders) {
      const g = raw.glob(`/proc/[0-9]*/${f}`, takeOf(f), scope.everyone ? undefined : SOCKET_HOLDERS);
      if (isFailure(g)) throw new Error(`cannot read /proc: ${g.message}`);
      const why = g.unlisted['/proc'];
      if (why !== undefined) throw new Error(`cannot list /proc: ${why}`);
      Object.assign(files[f], g.found);
    }
    for (const pid of scope.pids) {
      const path = `/proc/${pid}/${f}`;
      files[f][path] = f === 'exe' ? raw.link(path) : raw.read(path);
    }
  }
  return files;
}

function processOf(files: Files, pid: number, users: Map<number, string>): ProcessFact | undefined {
  const base = `/proc/${pid}`;
  const text = (f: ProcessFile): string | undefined => {
    const v = files[f][`${base}/${f}`];
    return typeof v === 'string' ? v : undefined;
  };
  const comm = text('comm');
  const status = text('status');
  const uid = status === undefined ? undefined : parseStatusUid(status);
  // comm and status are world-readable: failing to read them means the process has exited.
  if (comm === undefined || uid === undefined) return undefined;
  const args = text('cmdline')
    ?.split('\0')
    .filter((a) => a !== '');
  const cgroup = text('cgroup');
  const unit = cgroup === undefined ? undefined : parseCgroupUnit(cgroup);
  const user = users.get(uid);
  // Kernel threads have no exe, and other users' exe links need ptrace rights: both are normal.
  const exe = text('exe');
  return {
    pid,
    comm: comm.replace(/\n$/, ''),
    ...(exe !== undefined ? { exe } : {}),
    ...(args && args.length > 0 ? { cmdline: args.join(' ') } : {}),
    uid,
    ...(user !== undefined ? { user } : {}),
    ...(unit !== undefined ? { unit } : {}),
  };
}

function limitsOf(files: Files, pid: number): ProcessFact['limits'] | 'gone' {
  const v = files.limits[`/proc/${pid}/limits`];
  if (typeof v === 'string') return parseLimits(v);
  if (v === undefined || v.error === 'ENOENT' || v.error === 'ESRCH') return 'gone';
  return { error: `/proc/${pid}/limits: ${failureText(v)}` };
}

/** Every process's identity (so any selector resolves) and the limits of the ones asked about, in one batch. */
export const processesFamily: FamilyModule<ProcessWant, ProcessesFact> = {
  name: 'processes',
  needs: (want) => [
    ...requestsOf(want),
    PASSWD_NEED,
    ...[...new Set(want.pidfiles ?? [])].map((path) => ({ op: 'read' as const, path })),
    ...[...new Set(want.units ?? [])].map((u) => ({ op: 'run' as const, argv: unitArgv(u), timeoutMs: want.timeoutMs ?? 5_000 })),
    ...(want.listeners ? OWNER_NEEDS : []),
  ],
  parse: (want, raw) => {
    const files = filesOf(raw, want);
    const users = usersOf(raw);
    const pidfiles: Record<string, number | FamilyError> = Object.fromEntries([...new Set(want.pidfiles ?? [])].map((p) => [p, pidfileOf(raw, p)]));
    const units: Record<string, number | FamilyError> = Object.fromEntries([...new Set(want.units ?? [])].map((u) => [u, unitMainPid(raw, u)]));
    const wantedPids = new Set<number>([...(want.pids ?? []), ...(want.listeners ? listenerOwnerPids(raw) : [])]);
    for (const v of [...Object.values(pidfiles), ...Object.values(units)]) if (typeof v === 'number' && v > 0) wantedPids.add(v);
    const wantedNames = want.names ?? [];
    const wantedUnits = new Set(want.units ?? []);
    const isWanted = (p: ProcessFact): boolean =>
      want.all === true ||
      wantedPids.has(p.pid) ||
      wantedNames.some((n) => processMatchesName(p, n)) ||
      // Every process in the unit's cgroup, not only MainPID: this is also how units resolve without systemctl.
      (p.unit !== undefined && wantedUnits.has(p.unit));
    const pids = Object.keys(files.comm)
      .map((path) => Number(path.split('/')[2]))
      .sort((a, b) => a - b);
    const processes: ProcessFact[] = [];
    for (const pid of pids) {
      const p = processOf(files, pid, users);
      // The snapshot keeps what the checks select from: wanted processes only (the rest is noise, and private).
      if (!p || !isWanted(p)) continue;
      const limits = limitsOf(files, pid);
      if (limits === 'gone') continue;
      if (limits) p.limits = limits;
      processes.push(p);
    }
    return { processes, pidfiles, units };
  },
};
