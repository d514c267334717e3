// When collection goes wrong on a real host: tools missing from PATH, an unprivileged user, a tool that
// hangs. Each case runs the built CLI inside a network-namespace test host and compares it with a normal
// run on the same host: only the checks whose facts could not be read may change, and they must become
// `error` with the reason — never a silent pass or skip, never a hung or crashed audit.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, netnsSkipReason, run } from './harness/netns.js';
import { byId, report, runCleanups, which } from './harness/audit.js';
import type { ExecResult, HostSpec } from './harness/netns.js';
import { GOOD_NFT, TUNED_SYSCTLS } from './harness/hosts.js';
import type { Report } from '../../src/report/model.js';
import type { Status } from '../../src/evaluate/model.js';
import type { ReportResult as Result } from '../../src/report/model.js';

const ROOT = resolve(import.meta.dirname, '../..');
const IN = 'test/integration/inputs';
const why = netnsSkipReason();
if (why) console.log(`skipping failure-mode integration tests: ${why}`);

const NOBODY = ['--reuid=nobody', '--regid=65534', '--clear-groups'];

function statuses(rep: Report): Record<string, Status> {
  return Object.fromEntries(rep.results.map((r) => [r.id, r.status]));
}

/** Result fields that describe the judgement (details carry pids, which are the same on one host). */
function judged(r: Result): Pick<Result, 'status' | 'expected' | 'actual' | 'message'> {
  return { status: r.status, expected: r.expected, actual: r.actual, message: r.message };
}

/** A host with a veth (so it has a default route) on a free 198.19.100-189.0/24: other test files use other subnets. */
async function createWithVeth(spec: HostSpec): Promise<TestHost> {
  for (let attempt = 0; ; attempt++) {
    const sub = `198.19.${100 + ((process.pid + attempt * 17) % 90)}`;
    try {
      return await TestHost.create({ ...spec, veth: { hostAddr: `${sub}.1/24`, nsAddr: `${sub}.2/24` } });
    } catch (e) {
      if (attempt >= 4 || !/already used/.test((e as Error).message)) throw e;
    }
  }
}

/** The same baseline results as `ref` for every check, except those listed. */
function expectUnchangedExcept(ref: Report, got: Report, changed: string[]): void {
  const a = byId(ref);
  const b = byId(got);
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const id of Object.keys(a)) if (!changed.includes(id)) expect(judged(b[id]!), id).toEqual(judged(a[id]!));
}

(why ? describe.skip : describe)('collectors that cannot run (network-namespace test hosts)', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  // Looked up in beforeAll: describe.skip still runs this body to collect the tests.
  let ip = '';
  let cli = join(ROOT, 'bin/plumbline.js');

  /** A directory holding only a `node` link (and whatever fakes a test adds), for PATH. */
  function pathDir(fakes: Record<string, string> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'pl-path-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    symlinkSync(process.execPath, join(dir, 'node'));
    for (const [name, script] of Object.entries(fakes)) writeFileSync(join(dir, name), script, { mode: 0o755 });
    chmodSync(dir, 0o755);
    return dir;
  }

  /** The CLI inside `host` with PATH = `dir` only: `ip netns exec` is called by absolute path for that. */
  function auditWithPath(host: TestHost, dir: string, args: string[] = [], timeoutMs = 40_000): Promise<ExecResult> {
    return run(ip, ['netns', 'exec', host.ns, process.execPath, cli, 'audit', '--format', 'json', ...args], {
      env: { PATH: dir, NO_COLOR: '1' },
      timeoutMs,
    });
  }

  function auditAsRoot(host: TestHost, args: string[] = []): Promise<ExecResult> {
    return host.exec(process.execPath, [cli, 'audit', '--format', 'json', ...args], { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 30_000 });
  }

  function auditAsNobody(host: TestHost, args: string[] = []): Promise<ExecResult> {
    return host.exec('setpriv', [...NOBODY, process.execPath, cli, 'audit', '--format', 'json', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      timeoutMs: 30_000,
    });
  }

  // A tuned host with an nft firewall whose listeners run as nobody, plus one root service on a privileged
  // port (root is excusable there): the baseline passes everything that applies.
  let tuned: TestHost;
  // Same firewall, some sysctls left at bad values, and every service running as root.
  let rooty: TestHost;
  // Nothing but a namespace: for the hanging tool.
  let bare: TestHost;

  beforeAll(async () => {
    ip = which('ip');
    const made = await Promise.allSettled([
      createWithVeth({
        name: 'fail-tuned',
        sysctls: TUNED_SYSCTLS,
        nft: GOOD_NFT,
        listeners: [
          { address: '127.0.0.1', port: 6379, name: 'pl-redis', user: 'nobody', nofile: { soft: 20000, hard: 20000 } },
          { address: '::1', port: 9200, name: 'pl-elastic', user: 'nobody', nofile: { soft: 20000, hard: 20000 } },
          { address: '127.0.0.1', port: 80, name: 'pl-http', nofile: { soft: 20000, hard: 20000 } },
        ],
      }),
      TestHost.create({
        name: 'fail-rooty',
        sysctls: { ...TUNED_SYSCTLS, 'net.core.somaxconn': '1024', 'net.ipv4.conf.all.rp_filter': '0' },
        nft: GOOD_NFT,
        listeners: [
          { address: '127.0.0.1', port: 6379, name: 'pl-redis', nofile: { soft: 20000, hard: 20000 } },
          { address: '::1', port: 9200, name: 'pl-elastic', nofile: { soft: 20000, hard: 20000 } },
        ],
      }),
      TestHost.create({ name: 'fail-bare' }),
    ]);
    for (const m of made) if (m.status === 'fulfilled') cleanup.push(() => m.value.destroy());
    const failed = made.find((m): m is PromiseRejectedResult => m.status === 'rejected');
    if (failed) throw failed.reason;
    [tuned, rooty, bare] = made.map((m) => (m as PromiseFulfilledResult<TestHost>).value) as [TestHost, TestHost, TestHost];

    // nobody must be able to reach the CLI, its bundle and the built-in policies. If the checkout is not
    // traversable for other users, run a copy of the package from a world-readable temp dir instead.
    const probe = (path: string) => spawnSync('setpriv', [...NOBODY, process.execPath, path, 'validate', 'builtin:baseline'], { timeout: 20_000 });
    if (probe(cli).status !== 0) {
      const pkg = mkdtempSync(join(tmpdir(), 'pl-pkg-'));
      cleanup.push(() => rmSync(pkg, { recursive: true, force: true }));
      for (const p of ['bin', 'dist', 'policies', 'schemas', 'package.json'])
        cpSync(join(ROOT, p), join(pkg, p), { recursive: true, preserveTimestamps: true });
      spawnSync('chmod', ['-R', 'a+rX', pkg]);
      chmodSync(pkg, 0o755);
      cli = join(pkg, 'bin/plumbline.js');
      const again = probe(cli);
      if (again.status !== 0) throw new Error(`nobody cannot run the CLI copy either: ${again.stderr.toString()}`);
    }
  }, 90_000);

  afterAll(() => runCleanups(cleanup));

  // ---------------------------------------------------------------------------------------------------------

  // plumbline in a container that shares the host's network but not its processes: every socket is there, and
  // not one process that holds them.
  describe('audited from a PID namespace of its own (a container on the host network)', () => {
    let contained: Report;

    beforeAll(async () => {
      const policy = join(mkdtempSync(join(tmpdir(), 'pl-pidns-')), 'owner.yaml');
      cleanup.push(() => rmSync(dirname(policy), { recursive: true, force: true }));
      writeFileSync(
        policy,
        [
          'apiVersion: plumbline/v1',
          'kind: Policy',
          'metadata: { name: owner }',
          'extends: [builtin:baseline]',
          'checks:',
          '  - { id: listen.redis-process, title: t, severity: high, listener: { port: 6379 }, expect: { process: pl-redis } }',
          '',
        ].join('\n'),
      );
      chmodSync(dirname(policy), 0o755);
      const r = await tuned.exec('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, cli, 'audit', '-p', policy, '--format', 'json'], {
        env: { ...process.env, NO_COLOR: '1' },
        timeoutMs: 30_000,
      });
      expect(r.stderr).toBe('');
      contained = report(r);
    }, 60_000);

    it('judges addresses and socket users as the host does, and says no visible process owns a socket, not that it could not look', () => {
      const r = byId(contained);
      expect(r['listen.redis']!.status).toBe('pass');
      expect(r['listen.redis']!.actual).toBe('127.0.0.1:6379');
      // Every fd was read: the user is the socket's own (the kernel keeps who made it), as the host's audit has it.
      expect(r['listen.not-root']!.status).toBe('pass');
      const owner = r['listen.redis-process']!;
      expect(owner.status).toBe('error');
      expect(owner.message).toMatch(/no process visible here owns it \(its owner is outside the PID namespace plumbline runs in/);
      expect(owner.message).not.toContain('could not be read');
    });
  });

  describe('nft, iptables-save, ss and ip are not installed', () => {
    let reference: Report;
    let missing: ExecResult;

    beforeAll(async () => {
      const normal = await auditAsRoot(tuned);
      expect(normal.stderr).toBe('');
      reference = report(normal);
      missing = await auditWithPath(tuned, pathDir());
    }, 60_000);

    it('the reference run on the same host passes everything that applies', () => {
      expect(reference.score).toBe(100);
      expect(reference.counts).toEqual({ pass: 23, fail: 0, error: 0, skip: 8, waived: 0 });
      expect(byId(reference)['firewall.input']!.actual).toBe('drop (inet filter/input policy drop)');
    });

    it('firewall checks are errors that name every tool tried', () => {
      expect(missing.stderr).toBe('');
      const rep = report(missing);
      const why =
        'could not collect firewall: cannot read the firewall ruleset: nft: not installed; iptables-save: not installed; ip6tables-save: not installed';
      for (const id of ['firewall.input', 'firewall.forward']) {
        expect(byId(rep)[id], id).toMatchObject({ status: 'error', actual: '(not collected)', message: why });
      }
    });

    it('every other check keeps its normal status, expectation and observation', () => {
      expectUnchangedExcept(reference, report(missing), ['firewall.input', 'firewall.forward', 'net.default-route', 'net.gateway-neighbour']);
    });

    it('without ip the neighbour table is read from /proc/net/arp: the gateway check keeps its status', () => {
      const before = byId(reference)['net.gateway-neighbour']!;
      const after = byId(report(missing))['net.gateway-neighbour']!;
      expect(after.status).toBe(before.status);
      expect(after.reason?.code).toBe(before.reason?.code);
    });

    it('without ip the default route is read from /proc and the result says the policy rules are unknown', () => {
      const before = byId(reference)['net.default-route']!;
      const after = byId(report(missing))['net.default-route']!;
      expect(after.status).toBe(before.status);
      expect(after.actual).toBe(before.actual);
      expect(after.message).toBe(
        `${before.message} [policy rules are unknown (\`ip\` (iproute2) was not found): routes read from /proc/net/route (main table only) and /proc/net/ipv6_route (every table, unnamed), judged as if only the kernel's default rules existed]`,
      );
    });

    it('scores the errors against the host, and the verdict follows the score (the firewall checks are not critical)', () => {
      const rep = report(missing);
      // 81 weight points apply; firewall.input (high, 5) and firewall.forward (medium, 3) are lost: 73/81.
      expect(rep.counts).toEqual({ pass: 21, fail: 0, error: 2, skip: 8, waived: 0 });
      expect(rep.score).toBe(90.1);
      expect(rep.ready).toBe(true);
      expect(rep.verdictReason).toBe('score 90.1 meets the threshold 80 and no critical check failed');
      expect(missing.exitCode).toBe(0);
    });

    it('with a threshold above that score the same run is not ready: exit 1', async () => {
      const r = await auditWithPath(tuned, pathDir(), ['--fail-under', '95']);
      expect(r.exitCode).toBe(1);
      expect(report(r).verdictReason).toBe('score 90.1 is below the threshold 95');
    });

    it('a critical check that errors blocks readiness whatever the score', async () => {
      const r = await auditWithPath(tuned, pathDir(), ['-p', `${ROOT}/${IN}/critical-firewall.yaml`, '--fail-under', '0']);
      expect(r.stderr).toBe('');
      const rep = report(r);
      expect(byId(rep)['firewall.input']).toMatchObject({ severity: 'critical', status: 'error' });
      expect(rep.ready).toBe(false);
      expect(rep.verdictReason).toBe('critical check could not be verified: firewall.input');
      expect(r.exitCode).toBe(1);
    });

    it('the pretty report lists them under "Could not check" with the reason', async () => {
      const r = await run(ip, ['netns', 'exec', tuned.ns, process.execPath, cli, 'audit'], { env: { PATH: pathDir(), NO_COLOR: '1' }, timeoutMs: 40_000 });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('Could not check (2)');
      expect(r.stdout).toMatch(/! HIGH\s+firewall\.input .*\n\s+reason\s+could not collect firewall: .*nft: not installed/);
      expect(r.stdout).not.toContain('Failures (');
    });
  });

  // ---------------------------------------------------------------------------------------------------------

  describe('running as nobody: permission denied', () => {
    let asRoot: Report;
    let asNobody: ExecResult;

    beforeAll(async () => {
      asRoot = report(await auditAsRoot(rooty));
      asNobody = await auditAsNobody(rooty);
    }, 60_000);

    it('the same host audited as root: all facts readable', () => {
      const s = statuses(asRoot);
      expect(s['firewall.input']).toBe('pass');
      expect(s['limits.listeners-nofile']).toBe('pass');
      expect(s['kernel.somaxconn']).toBe('fail');
      expect(s['kernel.rp-filter']).toBe('fail');
    });

    it('nft is refused: firewall checks are errors carrying "Operation not permitted"', () => {
      expect(asNobody.stderr).toBe('');
      const rep = byId(report(asNobody));
      for (const id of ['firewall.input', 'firewall.forward']) {
        expect(rep[id]!.status, id).toBe('error');
        expect(rep[id]!.message, id).toMatch(
          /^could not collect firewall: cannot read the firewall ruleset: nft -j list ruleset: exit \d+: .*Operation not permitted/,
        );
      }
    });

    it("root's socket owners are unknown: the limits check is an error saying so, not a pass or a skip", () => {
      const l = byId(report(asNobody))['limits.listeners-nofile']!;
      expect(l.status).toBe('error');
      expect(l.message).toMatch(/^\d+ socket\(s\) listen but their processes could not be identified \(their \/proc\/PID\/fd could not be read\)$/);
    });

    it('sysctl and listener-address checks are judged exactly as when run as root', () => {
      const rep = report(asNobody);
      expectUnchangedExcept(asRoot, rep, [
        'firewall.input',
        'firewall.forward',
        'limits.listeners-nofile',
        'listen.redis',
        'listen.elasticsearch',
        'listen.not-root',
      ]);
      // Addresses are in /proc/net for everyone: the verdicts stand, only the owner names are missing.
      for (const id of ['listen.redis', 'listen.elasticsearch']) expect(byId(rep)[id]!.status, id).toBe('pass');
      expect(byId(rep)['listen.redis']!.actual).toBe('127.0.0.1:6379');
      expect(byId(asRoot)['listen.redis']!.actual).toBe('127.0.0.1:6379 (pl-redis)');
    });

    it('the verdict and exit code follow from those results', () => {
      const rep = report(asNobody);
      const s = statuses(rep);
      // listen.not-root is asserted on its own below.
      const errors = Object.entries(s)
        .filter(([k, v]) => v === 'error' && k !== 'listen.not-root')
        .map(([k]) => k);
      expect(errors.sort()).toEqual(['firewall.forward', 'firewall.input', 'limits.listeners-nofile']);
      expect(rep.ready).toBe(false);
      expect(rep.verdictReason).toMatch(/^score [\d.]+ is below the threshold 80$/);
      expect(asNobody.exitCode).toBe(1);
    });

    it('listen.not-root does not guess the user from the socket uid when the owner is unknown', () => {
      const r = byId(report(asNobody))['listen.not-root']!;
      expect(r.status).toBe('error');
      expect(r.message).toMatch(/listener\(s\) could not be judged: owning process unknown \(some \/proc\/PID\/fd could not be read\)$/);
    });

    it('limits of listening services: one service hidden among visible ones is still not a pass', async () => {
      const r = await auditAsNobody(tuned);
      const l = byId(report(r))['limits.listeners-nofile']!;
      expect(l.status).toBe('error');
    });
  });

  // ---------------------------------------------------------------------------------------------------------

  describe('a tool that hangs', () => {
    let hung: ExecResult;
    let took: number;

    beforeAll(async () => {
      // nft that never answers and, like many wrappers, leaves a child holding its output pipe.
      const dir = pathDir({ nft: '#!/bin/sh\n/bin/sleep 120\n' });
      const t0 = Date.now();
      hung = await auditWithPath(bare, dir, [], 45_000);
      took = Date.now() - t0;
    }, 60_000);

    it('does not hang the audit: the firewall checks time out into errors and the report is complete', () => {
      expect(hung.timedOut).toBe(false);
      // nft gets the family's 5 s; the whole collection has a 20 s deadline.
      expect(took).toBeLessThan(15_000);
      expect(hung.stderr).toBe('');
      const rep = report(hung);
      expect(rep.results).toHaveLength(31);
      for (const id of ['firewall.input', 'firewall.forward']) {
        expect(byId(rep)[id]!.status, id).toBe('error');
        // The firewall family's timeout is the policy's (defaults.timeout, 5 s for the baseline); nft gets all of it.
        expect(byId(rep)[id]!.message, id).toBe(
          'could not collect firewall: cannot read the firewall ruleset: nft -j list ruleset: timed out after 5000 ms; iptables-save: not installed; ip6tables-save: not installed',
        );
      }
      // An untuned namespace fails several kernel checks: not ready, and the exit code says so.
      expect(rep.ready).toBe(false);
      expect(hung.exitCode).toBe(1);
    });

    it('names the timed-out command once', () => {
      expect(byId(report(hung))['firewall.input']!.message).not.toContain('nft -j list ruleset: nft -j list ruleset');
    });
  });
});
