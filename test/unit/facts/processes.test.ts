import { describe, it, expect } from 'vitest';
import { processesFamily, parseCgroupUnit, parseLimits } from '../../../src/facts/families/processes.js';
import { readFamily } from '../../helpers/family.js';
import { selectProcesses } from '../../../src/facts/readings/processes.js';
import type { ProcessFact, ProcessesFact } from '../../../src/facts/model.js';
import { isFamilyError } from '../../../src/facts/model.js';
import type { RunAnswer } from '../../../src/transport/types.js';
import { fixtureReader, replayTransport, serversSnapshot } from '../../helpers/replay.js';

const fixture = fixtureReader('proc');

/** fixtures/proc/systemctl-*.txt hold "exit: N", "--- stdout", ..., "--- stderr", ... as captured. */
function capturedExec(name: string): RunAnswer {
  const text = fixture(name);
  const m = /^exit: (\d+)\n--- stdout\n([\s\S]*?)--- stderr\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`bad exec capture ${name}`);
  return { exitCode: Number(m[1]), stdout: m[2] as string, stderr: m[3] as string };
}

const PID = 3984;

describe('parseLimits (captured /proc/PID/limits)', () => {
  it('reads every item under its ulimit name', () => {
    const l = parseLimits(fixture('limits-prlimit.txt'));
    expect(Object.keys(l).sort()).toEqual(
      [
        'as',
        'core',
        'cpu',
        'data',
        'fsize',
        'locks',
        'memlock',
        'msgqueue',
        'nice',
        'nofile',
        'nproc',
        'rss',
        'rtprio',
        'rttime',
        'sigpending',
        'stack',
      ].sort(),
    );
    expect(l.nofile).toEqual({ soft: 4096, hard: 16384, unit: 'files' });
    expect(l.nproc).toEqual({ soft: 512, hard: 1024, unit: 'processes' });
    expect(l.core).toEqual({ soft: 0, hard: 'unlimited', unit: 'bytes' });
    expect(l.memlock).toEqual({ soft: 65536, hard: 65536, unit: 'bytes' });
    expect(l.stack).toEqual({ soft: 8388608, hard: 'unlimited', unit: 'bytes' });
    expect(l.rttime).toEqual({ soft: 'unlimited', hard: 'unlimited', unit: 'us' });
    // These rows have no unit column.
    expect(l.nice).toEqual({ soft: 0, hard: 0 });
    expect(l.rtprio).toEqual({ soft: 0, hard: 0 });
  });

  it('reads another process the same way', () => {
    const l = parseLimits(fixture('limits-pid1.txt'));
    expect(l.nofile).toEqual({ soft: 32768, hard: 32768, unit: 'files' });
    expect(l.memlock).toEqual({ soft: 'unlimited', hard: 'unlimited', unit: 'bytes' });
    expect(Object.keys(l)).toHaveLength(16);
  });
});

describe('parseCgroupUnit (captured /proc/PID/cgroup)', () => {
  it.each([
    ['cgroup-service.txt', 'nginx.service'],
    ['cgroup-template-service.txt', 'getty@tty1.service'],
    ['cgroup-docker-scope.txt', 'docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope'],
    ['cgroup-user-manager-service.txt', 'user@1000.service'],
    ['cgroup-user-manager-init.txt', 'user@1000.service'],
    ['cgroup-session-scope.txt', undefined],
    ['cgroup-root.txt', undefined],
    ['cgroup-v1-only.txt', 'cron.service'],
    ['cgroup-v2-only.txt', 'sshd.service'],
  ])('%s -> %s', (file, unit) => {
    expect(parseCgroupUnit(fixture(file))).toBe(unit);
  });
});

describe('collectProcesses over a replayed snapshot', () => {
  it('keeps only wanted processes, with identity fields, and limits only for them, from one batch', async () => {
    const t = replayTransport(serversSnapshot());
    const none = await readFamily(processesFamily, { names: ['nginx'] }, t);
    // Every process is read in the one batch (a name can only be matched after reading it); none is kept.
    expect(none.processes).toEqual([]);
    expect(t.batches).toHaveLength(1);
    expect(t.reads).toContain(`/proc/${PID}/comm`);
    expect(none.pidfiles).toEqual({});
    expect(none.units).toEqual({});
    const f = await readFamily(processesFamily, { names: ['python3'] }, replayTransport(serversSnapshot()));
    const { limits, ...p } = f.processes[0] as ProcessFact;
    expect(limits).toMatchObject({ nofile: { soft: 20000, hard: 20000, unit: 'files' } });
    expect(p).toEqual({
      pid: PID,
      comm: 'python3',
      exe: '/root/.pyenv/versions/3.11.7/bin/python3.11',
      cmdline: '/root/.pyenv/versions/3.11.7/bin/python3 /tmp/plfx/servers.py',
      uid: 0,
    });
  });

  it('looks only at the wanted pids when only pids are asked for', async () => {
    const t = replayTransport(serversSnapshot());
    const f = await readFamily(processesFamily, { pids: [PID] }, t);
    expect(f.processes.map((p) => p.pid)).toEqual([PID]);
    expect(t.reads.filter((r) => /^\/proc\/\d+\/comm$/.test(r))).toEqual([`/proc/${PID}/comm`]);
  });

  it.each([{ names: ['python3'] }, { names: ['python3.11'] }, { pids: [PID] }, { all: true }])('wants the process by %j', async (want) => {
    const f = await readFamily(processesFamily, want, replayTransport(serversSnapshot()));
    const limits = f.processes[0]?.limits;
    expect(limits && !isFamilyError(limits) ? limits.nofile : undefined).toEqual({ soft: 20000, hard: 20000, unit: 'files' });
  });

  it('reports missing pidfiles and missing systemctl, resolving units by cgroup instead', async () => {
    const r = serversSnapshot();
    r.files[`/proc/${PID}/cgroup`] = fixture('cgroup-service.txt');
    const t = replayTransport(r);
    const f = await readFamily(processesFamily, { units: ['nginx.service', 'redis.service'], pidfiles: ['/run/nginx.pid'] }, t);
    expect(t.execCalls[0]).toBe('systemctl show -p MainPID --value -- nginx.service');
    expect(f.units).toEqual({
      'nginx.service': { error: 'systemd not available (systemctl not found)' },
      'redis.service': { error: 'systemd not available (systemctl not found)' },
    });
    expect(f.pidfiles).toEqual({ '/run/nginx.pid': { error: 'pidfile /run/nginx.pid: not found' } });
    const p = f.processes[0];
    expect(p?.unit).toBe('nginx.service');
    expect(p?.limits).toMatchObject({ nofile: { soft: 20000, hard: 20000, unit: 'files' } });
    expect(selectProcesses(f, { unit: 'nginx.service' })).toEqual({ pids: [PID] });
    expect(selectProcesses(f, { unit: 'redis.service' })).toEqual({
      error: 'unit redis.service is not running (no process in its cgroup; systemd not available (systemctl not found))',
    });
  });

  it('keeps systemctl failure text when systemd is not running', async () => {
    const r = serversSnapshot();
    r.commands['systemctl show -p MainPID --value -- nginx.service'] = capturedExec('systemctl-show-mainpid-no-systemd.txt');
    const f = await readFamily(processesFamily, { units: ['nginx.service'] }, replayTransport(r));
    expect(f.units['nginx.service']).toEqual({
      error: "systemctl show nginx.service: System has not been booted with systemd as init system (PID 1). Can't operate.",
    });
  });

  it('drops processes that vanish between listing and reading', async () => {
    const r = serversSnapshot();
    r.files['/proc/424242/cmdline'] = ''; // listed, but comm/status are gone
    const f = await readFamily(processesFamily, { all: true }, replayTransport(r));
    expect(f.processes.map((p) => p.pid)).toEqual([PID]);
  });
});

describe('selectProcesses', () => {
  // Shaped like collectProcesses output: one nginx master in its unit with one worker, and a long-named daemon.
  const proc = (pid: number, comm: string, extra: Partial<ProcessFact> = {}): ProcessFact => ({ pid, comm, uid: 0, ...extra });
  const fact: ProcessesFact = {
    processes: [
      proc(1, 'systemd', { exe: '/usr/lib/systemd/systemd' }),
      proc(800, 'nginx', { exe: '/usr/sbin/nginx', unit: 'nginx.service' }),
      proc(801, 'nginx', { exe: '/usr/sbin/nginx', unit: 'nginx.service', uid: 33 }),
      proc(900, 'php-fpm-worker-', { exe: '/usr/sbin/php-fpm-worker-pool' }),
      proc(950, 'node', { exe: '/usr/bin/node (deleted)' }),
    ],
    pidfiles: { '/run/nginx.pid': 800, '/run/x.pid': { error: 'pidfile /run/x.pid: not found' }, '/run/stale.pid': 4321 },
    units: { 'nginx.service': 800, 'redis.service': 0, 'cron.service': { error: 'systemd not available (systemctl not found)' } },
  };
  const sel = (s: Record<string, unknown>) => selectProcesses(fact, { ...s });

  it('selects by name (comm, exe basename, truncated comm)', () => {
    expect(sel({ process: 'nginx' })).toEqual({ pids: [800, 801] });
    expect(sel({ process: 'systemd' })).toEqual({ pids: [1] });
    expect(sel({ process: 'php-fpm-worker-pool' })).toEqual({ pids: [900] });
    expect(sel({ process: 'node' })).toEqual({ pids: [950] });
    expect(sel({ process: 'ngin' })).toEqual({ error: 'no running process named "ngin"' });
  });

  it('selects by pid and pidfile', () => {
    expect(sel({ pid: 801 })).toEqual({ pids: [801] });
    expect(sel({ pid: 12 })).toEqual({ error: 'no running process with pid 12' });
    expect(sel({ pidfile: '/run/nginx.pid' })).toEqual({ pids: [800] });
    expect(sel({ pidfile: '/run/x.pid' })).toEqual({ error: 'pidfile /run/x.pid: not found' });
    expect(sel({ pidfile: '/run/stale.pid' })).toEqual({ error: 'pidfile /run/stale.pid: process 4321 is not running' });
    expect(sel({ pidfile: '/run/other.pid' })).toEqual({ error: 'pidfile /run/other.pid: not collected' });
  });

  it('selects by unit MainPID, falling back to cgroup membership', () => {
    expect(sel({ unit: 'nginx.service' })).toEqual({ pids: [800] });
    expect(sel({ unit: 'redis.service' })).toEqual({ error: 'unit redis.service is not running' });
    expect(sel({ unit: 'cron.service' })).toEqual({
      error: 'unit cron.service is not running (no process in its cgroup; systemd not available (systemctl not found))',
    });
    const noSystemd: ProcessesFact = { ...fact, units: {} };
    expect(selectProcesses(noSystemd, { unit: 'nginx.service' })).toEqual({ pids: [800, 801] });
  });

  it('selects listening processes from the pids the caller passes', () => {
    expect(selectProcesses(fact, { port: 80 }, [800, 801])).toEqual({ pids: [800, 801] });
    expect(selectProcesses(fact, { listening: true }, [950, 800])).toEqual({ pids: [800, 950] });
    expect(selectProcesses(fact, { port: 80 }, [])).toEqual({ error: 'no process owns a listening socket on port 80' });
    expect(selectProcesses(fact, { port: 80 })).toEqual({ error: 'no socket information to find the owner of a listener on port 80' });
  });

  it('intersects several criteria', () => {
    expect(sel({ process: 'nginx', unit: 'nginx.service' })).toEqual({ pids: [800] });
    expect(selectProcesses(fact, { process: 'nginx', port: 80 }, [801, 950])).toEqual({ pids: [801] });
    expect(sel({ process: 'node', pid: 800 })).toEqual({ error: 'no process named "node" matches the other criteria' });
  });

  it('needs at least one criterion', () => {
    expect(sel({})).toEqual({ error: 'limits selector names no process (give process, pid, pidfile, unit, port or listening)' });
  });
});
