// Collectors against this machine itself: the process running the tests, a child with limits set by prlimit,
// the kernel's counters. They read the live host, so they live here and not among the hermetic unit tests.
import { describe, it, expect, afterEach } from 'vitest';
import { readFamily } from '../helpers/family.js';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processesFamily } from '../../src/facts/families/processes.js';
import { netstatFamily } from '../../src/facts/families/netstat.js';
import { isFamilyError } from '../../src/facts/model.js';
import { selectProcesses } from '../../src/facts/readings/processes.js';
import { netstatCounter } from '../../src/facts/readings/netstat.js';
import { LocalTransport } from '../../src/transport/local.js';

describe('collectProcesses on the live host', () => {
  const children: ChildProcess[] = [];
  let dir: string | undefined;
  afterEach(() => {
    for (const c of children.splice(0)) if (c.pid !== undefined && c.exitCode === null) process.kill(c.pid, 'SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const hasPrlimit = (() => {
    try {
      execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it('reads this process, its limits and a real pidfile', async () => {
    dir = mkdtempSync(join(tmpdir(), 'plumbline-proc-'));
    const pidfile = join(dir, 'self.pid');
    writeFileSync(pidfile, `${process.pid}\n`);
    const f = await readFamily(processesFamily, { pidfiles: [pidfile, join(dir, 'missing.pid')] }, new LocalTransport());
    expect(f.pidfiles[pidfile]).toBe(process.pid);
    expect(f.pidfiles[join(dir, 'missing.pid')]).toEqual({ error: `pidfile ${join(dir, 'missing.pid')}: not found` });
    const me = f.processes.find((p) => p.pid === process.pid);
    expect(me?.comm).toBe(readFileSync('/proc/self/comm', 'utf8').trim());
    expect(me?.exe).toBe(process.execPath);
    expect(me?.uid).toBe(process.getuid?.());
    const softNofile = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
    const limits = me?.limits;
    expect(limits && !isFamilyError(limits) ? limits.nofile?.soft : undefined).toBe(softNofile);
    // Processes nobody asked about keep their limits unread.
    expect(f.processes.filter((p) => p.pid !== process.pid && p.limits !== undefined)).toEqual([]);
    expect(selectProcesses(f, { pidfile })).toEqual({ pids: [process.pid] });
  });

  // Under CI prlimit is installed by .ci/run: the test must run there, so only skip (and say so) elsewhere.
  if (!hasPrlimit && process.env.CI !== 'true') console.log('skipping the prlimit test: prlimit (util-linux) is not installed');
  it.skipIf(!hasPrlimit && process.env.CI !== 'true')('sees limits set on a child with prlimit', async () => {
    const child = spawn('prlimit', ['--nofile=1234:4321', '--core=0:0', 'sleep', '30'], { stdio: 'ignore' });
    children.push(child);
    const pid = child.pid as number;
    // prlimit execs sleep in place; wait until the exec has happened.
    for (let i = 0; i < 100 && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'sleep'; i++) await new Promise((r) => setTimeout(r, 20));
    const f = await readFamily(processesFamily, { pids: [pid] }, new LocalTransport());
    const p = f.processes.find((x) => x.pid === pid);
    expect(p).toMatchObject({ comm: 'sleep', cmdline: 'sleep 30' });
    const limits = p?.limits;
    expect(limits && !isFamilyError(limits) ? [limits.nofile, limits.core] : undefined).toEqual([
      { soft: 1234, hard: 4321, unit: 'files' },
      { soft: 0, hard: 0, unit: 'bytes' },
    ]);
    expect(selectProcesses(f, { pid })).toEqual({ pids: [pid] });
  });

  it('answers a unit that does not exist with what this host can say about it', async () => {
    const unit = 'plumbline-test-nonexistent.service';
    const f = await readFamily(processesFamily, { units: [unit] }, new LocalTransport());
    const v = f.units[unit];
    // What the host can say depends on whether systemd is here at all; each case has one right answer.
    const systemctl = spawnSync('systemctl', ['--version'], { stdio: 'ignore' });
    if (systemctl.error) {
      expect(v).toEqual({ error: 'systemd not available (systemctl not found)' });
    } else if (!existsSync('/run/systemd/system')) {
      expect(v).toMatchObject({ error: expect.stringMatching(new RegExp(`^systemctl show ${unit}: `)) });
    } else {
      expect(v).toBe(0);
    }
    expect(selectProcesses(f, { unit })).toEqual({ error: expect.stringMatching(new RegExp(`^unit ${unit}`)) });
  });
});

describe('collectNetstat on the live host', () => {
  /** The same counters as iproute2's nstat reads them (absolute values, history untouched). */
  const nstat = (): Record<string, number> => {
    const out = execFileSync('nstat', ['-asz', 'TcpExtListenOverflows', 'TcpActiveOpens', 'TcpOutSegs'], { encoding: 'utf8' });
    return Object.fromEntries(
      out
        .split('\n')
        .filter((l) => /^\w+\s+\d+/.test(l))
        .map((l) => [l.split(/\s+/)[0]!, Number(l.split(/\s+/)[1])]),
    );
  };

  it('reads the counters nstat reads, as they stood during the collection', async () => {
    const before = nstat();
    const fact = await readFamily(netstatFamily, true, new LocalTransport());
    const after = nstat();
    const within = (ours: unknown, name: string): void => {
      expect(ours, name).toBeTypeOf('number');
      expect(ours as number, name).toBeGreaterThanOrEqual(before[name]!);
      expect(ours as number, name).toBeLessThanOrEqual(after[name]!);
    };
    within(netstatCounter(fact, 'ListenOverflows'), 'TcpExtListenOverflows');
    within(netstatCounter(fact, 'Tcp.ActiveOpens'), 'TcpActiveOpens');
    within(netstatCounter(fact, 'Tcp.OutSegs'), 'TcpOutSegs');
  });
});
