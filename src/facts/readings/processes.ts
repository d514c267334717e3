// Pure readings of process facts: names as the kernel shows them, and which processes a selection means.
import type { ProcessFact, ProcessesFact } from '../model.js';

/** Executable basename, without the " (deleted)" the kernel appends after an upgrade replaced the binary. */
function exeBaseName(exe: string | undefined): string | undefined {
  if (!exe) return undefined;
  const base = exe
    .replace(/ \(deleted\)$/, '')
    .split('/')
    .pop();
  return base || undefined;
}

// comm is truncated to TASK_COMM_LEN-1 bytes, so "php-fpm-worker-pool" shows as "php-fpm-worker-".
const COMM_MAX = 15;

export function processMatchesName(p: ProcessFact, name: string): boolean {
  if (p.comm === name || exeBaseName(p.exe) === name) return true;
  return name.length > COMM_MAX && p.comm === name.slice(0, COMM_MAX);
}

/** Which processes a limits check means; every criterion given must hold. Plain data, so facts need no policy types. */
export interface ProcessSelection {
  process?: string;
  pid?: number;
  pidfile?: string;
  unit?: string;
  port?: number;
  listening?: boolean;
}

type Selected = { pids: number[] } | { error: string };

/**
 * Resolve a limits selector against collected processes. Every criterion given must hold, so
 * `{ process: nginx, unit: nginx.service }` means nginx processes inside that unit. For port and
 * listening the caller passes the pids owning the matching listening sockets.
 */
export function selectProcesses(fact: ProcessesFact, sel: ProcessSelection, listenerPids?: number[]): Selected {
  let cands = fact.processes;
  const byPid = new Map(fact.processes.map((p) => [p.pid, p]));
  let criteria = 0;
  const narrow = (keep: (p: ProcessFact) => boolean, why: string): string | undefined => {
    criteria++;
    cands = cands.filter(keep);
    return cands.length === 0 ? why : undefined;
  };

  if (sel.pid !== undefined) {
    const pid = sel.pid;
    const e = narrow((p) => p.pid === pid, byPid.has(pid) ? `process ${pid} does not match the other criteria` : `no running process with pid ${pid}`);
    if (e) return { error: e };
  }

  if (sel.pidfile !== undefined) {
    const path = sel.pidfile;
    const v = fact.pidfiles[path];
    if (v === undefined) return { error: `pidfile ${path}: not collected` };
    if (typeof v !== 'number') return { error: v.error };
    const e = narrow(
      (p) => p.pid === v,
      byPid.has(v) ? `pidfile ${path}: process ${v} does not match the other criteria` : `pidfile ${path}: process ${v} is not running`,
    );
    if (e) return { error: e };
  }

  if (sel.unit !== undefined) {
    const unit = sel.unit;
    const main = fact.units[unit];
    if (typeof main === 'number') {
      if (main === 0) return { error: `unit ${unit} is not running` };
      const e = narrow(
        (p) => p.pid === main,
        byPid.has(main) ? `unit ${unit}: main process ${main} does not match the other criteria` : `unit ${unit}: main process ${main} is not running`,
      );
      if (e) return { error: e };
    } else {
      // systemctl unavailable or failed: the cgroup membership read from /proc still names the unit's processes.
      const inUnit = fact.processes.some((p) => p.unit === unit);
      const why = inUnit
        ? `unit ${unit}: no process in it matches the other criteria`
        : `unit ${unit} is not running (no process in its cgroup${main ? `; ${main.error}` : ''})`;
      const e = narrow((p) => p.unit === unit, why);
      if (e) return { error: e };
    }
  }

  if (sel.process !== undefined) {
    const name = sel.process;
    const any = fact.processes.some((p) => processMatchesName(p, name));
    const e = narrow((p) => processMatchesName(p, name), any ? `no process named "${name}" matches the other criteria` : `no running process named "${name}"`);
    if (e) return { error: e };
  }

  if (sel.port !== undefined || sel.listening === true) {
    const what = sel.port !== undefined ? `port ${sel.port}` : 'any port';
    if (listenerPids === undefined) return { error: `no socket information to find the owner of a listener on ${what}` };
    if (listenerPids.length === 0) {
      return { error: sel.port !== undefined ? `no process owns a listening socket on port ${sel.port}` : 'no process owns a listening socket' };
    }
    const owners = new Set(listenerPids);
    const e = narrow(
      (p) => owners.has(p.pid),
      `the processes listening on ${what} (pids ${[...owners].join(', ')}) do not match the other criteria or have exited`,
    );
    if (e) return { error: e };
  }

  if (criteria === 0) return { error: 'limits selector names no process (give process, pid, pidfile, unit, port or listening)' };
  return { pids: [...new Set(cands.map((p) => p.pid))].sort((a, b) => a - b) };
}
