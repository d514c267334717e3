// Route, interface and IPv6 verdicts held to the kernel. Each scenario is a network-namespace test host with its
// own rules and tables; the built CLI audits it from inside, and every verdict is compared with what the kernel
// itself says: `ip route get` (which asks the routing code and sends no packet), `ip -j link show`, `ip -6 addr`.
// Addresses: one /24 of 198.18.32.0/20 per host (198.18.80.0/20 for the def1 hosts); other gateways are `onlink`
// inside that /24, IPv6 gateways link-local. No traffic leaves a namespace. `ip route get` is only ever asked
// about 198.18.0.0/15 and documentation addresses (192.0.2.1, 2001:db8::1).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, netnsSkipReason, run } from './harness/netns.js';
import { report, runCleanups, which } from './harness/audit.js';
import type { HostSpec } from './harness/netns.js';
import type { Report } from '../../src/report/model.js';
import type { ReportResult as Result } from '../../src/report/model.js';
import { AddressSet, parseNetwork } from '../../src/lib/address.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const why = netnsSkipReason();
if (why) console.log(`skipping route/interface/IPv6 integration tests: ${why}`);

const V4_PROBE = '198.19.255.1';
const V6_PROBE = '2001:db8::1';

interface Path {
  via?: string;
  dev: string;
  table: string;
}
type KernelAnswer = Path | { error: string };

/** The kernel's own choice for a packet to `to`: `ip route get` resolves it and sends nothing. */
async function kernelRoute(host: TestHost, family: 4 | 6, to = family === 4 ? V4_PROBE : V6_PROBE): Promise<KernelAnswer> {
  const r = await host.exec('ip', ['-j', `-${family}`, 'route', 'get', to]);
  if (r.exitCode !== 0) return { error: r.stderr.trim() };
  const [x] = JSON.parse(r.stdout) as Array<{ gateway?: string; dev: string; table?: string }>;
  return { ...(x!.gateway ? { via: x!.gateway } : {}), dev: x!.dev, table: x!.table ?? 'main' };
}

/** plumbline's choice, from a route check's `actual`: "default via A dev D [metric M] (table T, rule N: ...)". */
function chosen(r: Result): KernelAnswer {
  const m = /^default(?: via (\S+))? dev (\S+)(?: metric \d+)? \(table (\S+),/.exec(r.actual);
  if (!m) return { error: r.actual };
  return { ...(m[1] ? { via: m[1] } : {}), dev: m[2]!, table: m[3]! };
}

type Check = Record<string, unknown> & { id: string };

function policyYaml(name: string, checks: Check[]): string {
  const lines = ['apiVersion: plumbline/v1', 'kind: Policy', `metadata: { name: ${name} }`, 'checks:'];
  for (const c of checks) lines.push(`  - ${JSON.stringify({ title: c.id, severity: 'medium', ...c })}`);
  return `${lines.join('\n')}\n`;
}

/** A veth pair inside the namespace, both ends up: a second link to route over (this kernel may lack dummy). */
function pair(name: string): string[][] {
  return [
    ['ip', 'link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`],
    ['ip', 'link', 'set', `${name}p`, 'up'],
    ['ip', 'link', 'set', name, 'up'],
  ];
}

interface Scenario {
  name: string;
  /** Set-up inside the namespace; `sub` is the host's /24 (e.g. 198.18.40), its veth gateway `${sub}.1`. */
  commands: (sub: string) => string[][];
  checks: (sub: string, veth: string) => Check[];
  sysctls?: Record<string, string>;
  veth?: boolean;
}

const SCENARIOS: Scenario[] = [
  {
    // Two defaults in main: the lower metric wins, and via and dev must both hold of that one.
    name: 'rt-metric',
    commands: (sub) => [
      ...pair('d0'),
      ['ip', 'route', 'del', 'default'],
      ['ip', 'route', 'add', 'default', 'via', `${sub}.1`, 'metric', '200'],
      ['ip', 'route', 'add', 'default', 'via', `${sub}.9`, 'dev', 'd0', 'metric', '100', 'onlink'],
    ],
    checks: (sub, veth) => [
      { id: 'chosen', route: 'default', expect: { via: `${sub}.9`, dev: 'd0' } },
      { id: 'other', route: 'default', expect: { via: `${sub}.1`, dev: veth } },
      // Each half is true of some default route, never of the same one.
      { id: 'mixed', route: 'default', expect: { via: `${sub}.1`, dev: 'd0' } },
    ],
  },
  {
    // A rule before main sends everything to table 100, for IPv4 and IPv6.
    name: 'rt-rule',
    commands: (sub) => [
      ...pair('d0'),
      ['ip', 'route', 'add', 'table', '100', 'default', 'via', `${sub}.9`, 'dev', 'd0', 'onlink'],
      ['ip', 'rule', 'add', 'priority', '100', 'from', 'all', 'lookup', '100'],
      ['ip', '-6', 'route', 'add', 'default', 'via', 'fe80::1', 'dev', 'd0'],
      ['ip', '-6', 'route', 'add', 'table', '100', 'default', 'via', 'fe80::2', 'dev', 'd0'],
      ['ip', '-6', 'rule', 'add', 'priority', '100', 'from', 'all', 'lookup', '100'],
    ],
    checks: (sub, veth) => [
      { id: 'chosen', route: 'default', expect: { via: `${sub}.9`, dev: 'd0' } },
      { id: 'other', route: 'default', expect: { via: `${sub}.1`, dev: veth } },
      // The same gateway spelled another way.
      { id: 'chosen6', route: 'default6', expect: { via: 'fe80:0:0::2', dev: 'd0' } },
      { id: 'other6', route: 'default6', expect: { via: 'fe80::1' } },
    ],
  },
  {
    // wg-quick's shape: main without its default, then the tunnel table for packets without the tunnel's mark.
    name: 'rt-suppress',
    commands: (sub) => [
      ...pair('d0'),
      ['ip', 'route', 'add', 'table', '100', 'default', 'via', `${sub}.9`, 'dev', 'd0', 'onlink'],
      ['ip', 'rule', 'add', 'priority', '100', 'lookup', 'main', 'suppress_prefixlength', '0'],
      ['ip', 'rule', 'add', 'priority', '200', 'not', 'fwmark', '0xca6c', 'lookup', '100'],
    ],
    checks: (sub, veth) => [
      { id: 'chosen', route: 'default', expect: { via: `${sub}.9`, dev: 'd0' } },
      { id: 'other', route: 'default', expect: { dev: veth } },
    ],
  },
  {
    // A higher-priority rule to a table with no default: the kernel goes on to main.
    name: 'rt-fallthru',
    commands: (sub) => [
      ...pair('d0'),
      ['ip', 'route', 'add', 'table', '50', `${sub}.128/25`, 'dev', 'd0'],
      ['ip', 'rule', 'add', 'priority', '50', 'from', 'all', 'lookup', '50'],
      // Only for marked packets: the generic packet carries no mark.
      ['ip', 'route', 'add', 'table', '60', 'default', 'via', `${sub}.9`, 'dev', 'd0', 'onlink'],
      ['ip', 'rule', 'add', 'priority', '60', 'fwmark', '0x1', 'lookup', '60'],
    ],
    checks: (sub, veth) => [
      { id: 'chosen', route: 'default', expect: { via: `${sub}.1`, dev: veth } },
      { id: 'other', route: 'default', expect: { dev: 'd0' } },
    ],
  },
  {
    // The looked-up table's default is a blackhole: the kernel has no route for anything.
    name: 'rt-blackhole',
    commands: () => [
      ['ip', 'route', 'add', 'table', '100', 'blackhole', 'default'],
      ['ip', 'rule', 'add', 'priority', '100', 'lookup', '100'],
    ],
    checks: () => [
      { id: 'chosen', route: 'default', expect: { exists: false } },
      { id: 'other', route: 'default', expect: { exists: true } },
    ],
  },
];

/**
 * plumbline's choice when more specific routes take all traffic (def1): the one of "A and B via G dev D take all
 * traffic ..." (or "A via G dev D and B via ... take all traffic ...") that holds `to`, as the kernel would use it.
 */
function chosenFor(r: Result, to: string): KernelAnswer {
  const m = /^(.*) take all traffic(?: before the default)? \(table (\S+),/.exec(r.actual);
  if (!m) return { error: r.actual };
  // "0.0.0.0/1 and 128.0.0.0/1 via G dev D" (one path for all) or "0.0.0.0/1 via G dev D and 128.0.0.0/1 ...".
  const parts = m[1]!.split(' and ');
  const shared = / via (\S+) dev (\S+)(?: metric \d+)?$|^\S+ dev (\S+)(?: metric \d+)?$/.exec(parts[parts.length - 1]!);
  for (const part of parts) {
    const p = /^(\S+)(?: via (\S+))?(?: dev (\S+))?/.exec(part)!;
    const net = parseNetwork(p[1]!);
    if (!net || !new AddressSet([net]).has(to)) continue;
    const via = p[2] ?? (p[3] ? undefined : shared?.[1]);
    const dev = p[3] ?? shared?.[2] ?? shared?.[3];
    return { ...(via ? { via } : {}), dev: dev!, table: m[2]! };
  }
  return { error: `no route of "${r.actual}" holds ${to}` };
}

/** Creates a host on a free /24 of 198.18.32.0/20 (or of `base`), retrying when another test holds the subnet. */
async function createOn(spec: Omit<HostSpec, 'veth'>, offset: number, base = 32): Promise<{ host: TestHost; sub: string }> {
  for (let attempt = 0; ; attempt++) {
    const sub = `198.18.${base + ((process.pid + offset + attempt * 7) % 16)}`;
    try {
      return { host: await TestHost.create({ ...spec, veth: { hostAddr: `${sub}.1/24`, nsAddr: `${sub}.2/24` } }), sub };
    } catch (e) {
      if (attempt >= 8 || !/already used/.test((e as Error).message)) throw e;
    }
  }
}

(why ? describe.skip : describe)('routes, links and IPv6 against the kernel (network-namespace test hosts)', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  let dir = '';

  function audit(host: TestHost, name: string, checks: Check[]): Promise<Report> {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, policyYaml(name, checks));
    return host
      .exec(process.execPath, [CLI, 'audit', '-p', file, '--format', 'json'], { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 30_000 })
      .then(report);
  }

  /** The CLI inside `host` with no `ip` on PATH: routes come from /proc, rules are unknown. */
  async function auditWithoutIp(host: TestHost, name: string): Promise<Report> {
    const bin = mkdtempSync(join(tmpdir(), 'pl-path-'));
    cleanup.push(() => rmSync(bin, { recursive: true, force: true }));
    symlinkSync(process.execPath, join(bin, 'node'));
    chmodSync(bin, 0o755);
    const r = await run(which('ip'), ['netns', 'exec', host.ns, process.execPath, CLI, 'audit', '-p', join(dir, `${name}.yaml`), '--format', 'json'], {
      env: { PATH: bin, NO_COLOR: '1' },
      timeoutMs: 30_000,
    });
    return report(r);
  }

  function byId(rep: Report): Record<string, Result> {
    return Object.fromEntries(rep.results.map((r) => [r.id, r]));
  }

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr || build.stdout}`);
    dir = mkdtempSync(join(tmpdir(), 'pl-routes-'));
    chmodSync(dir, 0o755);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  }, 180_000);

  afterAll(() => runCleanups(cleanup));

  describe('route: default is the route the kernel picks', () => {
    const hosts = new Map<string, { host: TestHost; sub: string; results: Record<string, Result> }>();

    beforeAll(async () => {
      // One at a time: each takes its own /24, and a collision is only seen when the veth is added.
      for (const [i, s] of SCENARIOS.entries()) {
        const probe = await createOn({ name: s.name }, i);
        cleanup.push(() => probe.host.destroy());
        for (const cmd of s.commands(probe.sub)) {
          const r = await probe.host.exec(cmd[0]!, cmd.slice(1));
          if (r.exitCode !== 0) throw new Error(`${s.name}: ${cmd.join(' ')}: ${r.stderr.trim()}`);
        }
        const rep = await audit(probe.host, s.name, s.checks(probe.sub, probe.host.vethNs!));
        hosts.set(s.name, { ...probe, results: byId(rep) });
      }
    }, 120_000);

    const expectAgreement = async (name: string, family: 4 | 6, id: string): Promise<KernelAnswer> => {
      const h = hosts.get(name)!;
      const kernel = await kernelRoute(h.host, family);
      const ours = chosen(h.results[id]!);
      if ('error' in kernel) expect('error' in ours, `${name}: kernel has no route (${kernel.error}), plumbline chose ${h.results[id]!.actual}`).toBe(true);
      else expect(ours, `${name}: ${h.results[id]!.actual}`).toEqual(kernel);
      return kernel;
    };

    it('two defaults in main: the lower metric; via and dev of that one route', async () => {
      const { results, sub } = hosts.get('rt-metric')!;
      expect(await expectAgreement('rt-metric', 4, 'chosen')).toEqual({ via: `${sub}.9`, dev: 'd0', table: 'main' });
      expect(results.chosen!.status).toBe('pass');
      expect(results.other!).toMatchObject({ status: 'fail', message: `gateway is ${sub}.9; device is d0` });
      expect(results.mixed!).toMatchObject({ status: 'fail', message: `gateway is ${sub}.9` });
    });

    it('without ip: the main table from /proc, the same choice here, and a note that the rules are unknown', async () => {
      const { host, sub } = hosts.get('rt-metric')!;
      const r = byId(await auditWithoutIp(host, 'rt-metric'));
      expect(chosen(r.chosen!)).toEqual({ via: `${sub}.9`, dev: 'd0', table: 'main' });
      expect(r.chosen!.status).toBe('pass');
      expect(r.chosen!.message).toMatch(/\[policy rules are unknown \(`ip` \(iproute2\) was not found\)/);
      expect(r.mixed!.status).toBe('fail');
    });

    it('a policy rule (priority 100, from all lookup 100) to a table with another default, IPv4 and IPv6', async () => {
      const { results, sub } = hosts.get('rt-rule')!;
      expect(await expectAgreement('rt-rule', 4, 'chosen')).toEqual({ via: `${sub}.9`, dev: 'd0', table: '100' });
      expect(results.chosen!.actual).toBe(`default via ${sub}.9 dev d0 (table 100, rule 100: from all lookup 100)`);
      expect(results.chosen!.status).toBe('pass');
      expect(results.other!.status).toBe('fail');
      expect(await expectAgreement('rt-rule', 6, 'chosen6')).toEqual({ via: 'fe80::2', dev: 'd0', table: '100' });
      expect(results.chosen6!.status).toBe('pass');
      expect(results.other6!).toMatchObject({ status: 'fail', message: 'gateway is fe80::2' });
    });

    it('suppress_prefixlength 0 on main, then a not-fwmark rule: the tunnel table', async () => {
      const { results, sub } = hosts.get('rt-suppress')!;
      expect(await expectAgreement('rt-suppress', 4, 'chosen')).toEqual({ via: `${sub}.9`, dev: 'd0', table: '100' });
      expect(results.chosen!.actual).toMatch(/rule 200: not from all fwmark 0xca6c lookup 100\)$/);
      expect(results.chosen!.status).toBe('pass');
      expect(results.other!.status).toBe('fail');
    });

    it('a higher-priority rule to a table without a default falls through to main', async () => {
      const { host, results, sub } = hosts.get('rt-fallthru')!;
      expect(await expectAgreement('rt-fallthru', 4, 'chosen')).toEqual({ via: `${sub}.1`, dev: host.vethNs, table: 'main' });
      expect(results.chosen!.actual).toMatch(/rule 32766: from all lookup main\)$/);
      expect(results.chosen!.status).toBe('pass');
      expect(results.other!.status).toBe('fail');
    });

    it('a blackhole default in the looked-up table is no route', async () => {
      const { host, results } = hosts.get('rt-blackhole')!;
      const kernel = await kernelRoute(host, 4);
      expect(kernel).toEqual({ error: 'RTNETLINK answers: Invalid argument' });
      expect(results.chosen!).toMatchObject({ status: 'pass', actual: 'blackhole default (table 100, rule 100: from all lookup 100); no IPv6 route' });
      expect(results.other!).toMatchObject({ status: 'fail' });
      expect(results.other!.message).toMatch(/^no default route: blackhole default in table 100: the kernel refuses the packet/);
    });
  });

  describe('route: an address alone is the route the kernel picks to reach it (ip route get)', () => {
    let probe: { host: TestHost; sub: string };
    let results: Record<string, Result> = {};
    // In the host's /24: the connected route; 198.19.200.0/24 via .9 on d0, whose upper half goes via .10 on d0 at
    // a lower metric than a second /25 at a higher one; one host route; a policy rule sending 198.19.201.0/24 to
    // table 100 (where its route leaves by d0); everything else by the default through the veth peer.
    const targets = (sub: string): Record<string, string> => ({
      onlink: `${sub}.77`,
      net16: '198.19.200.5',
      half: '198.19.200.200',
      host: '198.19.202.7',
      ruled: '198.19.201.3',
      fallback: '198.19.254.1',
    });

    beforeAll(async () => {
      probe = await createOn({ name: 'rt-lookup' }, 11);
      cleanup.push(() => probe.host.destroy());
      const sub = probe.sub;
      for (const cmd of [
        ...pair('d0'),
        ['ip', 'route', 'add', '198.19.200.0/24', 'via', `${sub}.9`, 'dev', 'd0', 'onlink'],
        ['ip', 'route', 'add', '198.19.200.128/25', 'via', `${sub}.10`, 'dev', 'd0', 'onlink', 'metric', '50'],
        ['ip', 'route', 'add', '198.19.200.128/25', 'via', `${sub}.11`, 'dev', 'd0', 'onlink', 'metric', '60'],
        ['ip', 'route', 'add', '198.19.202.7', 'via', `${sub}.12`, 'dev', 'd0', 'onlink'],
        ['ip', 'route', 'add', 'table', '100', '198.19.201.0/24', 'via', `${sub}.13`, 'dev', 'd0', 'onlink'],
        ['ip', 'rule', 'add', 'priority', '100', 'lookup', '100'],
      ]) {
        const r = await probe.host.exec(cmd[0]!, cmd.slice(1));
        if (r.exitCode !== 0) throw new Error(`${cmd.join(' ')}: ${r.stderr.trim()}`);
      }
      const checks = Object.entries(targets(sub)).map(([id, to]) => ({ id, route: to, expect: { exists: true } }));
      results = byId(await audit(probe.host, 'rt-lookup', checks));
    }, 120_000);

    it('each address: the gateway and device ip route get names', async () => {
      for (const [id, to] of Object.entries(targets(probe.sub))) {
        const kernel = await kernelRoute(probe.host, 4, to);
        expect('error' in kernel, `${id}: ${JSON.stringify(kernel)}`).toBe(false);
        const r = results[id]!;
        expect(r.status, `${id}: ${r.actual}`).toBe('pass');
        const via = / via (\S+)/.exec(r.actual)?.[1];
        const dev = / dev (\S+)/.exec(r.actual)?.[1];
        expect({ via, dev }, `${id} (${to}): ${r.actual}`).toEqual({ via: (kernel as Path).via, dev: (kernel as Path).dev });
      }
    });
  });

  describe('route: default where more specific routes take all traffic (def1)', () => {
    // OpenVPN's redirect-gateway def1 leaves the default alone and adds 0.0.0.0/1 and 128.0.0.0/1 through the
    // tunnel (and ::/1, 8000::/1): the longest prefix wins, so nothing leaving the host takes the default. A veth
    // pair inside the namespace stands in for tun0 and tun1. The kernel is asked about 198.19.255.1 and 192.0.2.1
    // (both in 128.0.0.0/1: no documentation address lies in 0.0.0.0/1, so that half is read with `ip route show`)
    // and 2001:db8::1 (in ::/1).
    const DEF1: Scenario[] = [
      {
        name: 'rt-def1',
        commands: (sub) => [
          ...pair('tun0'),
          ['ip', 'route', 'add', '0.0.0.0/1', 'via', `${sub}.9`, 'dev', 'tun0', 'onlink'],
          ['ip', 'route', 'add', '128.0.0.0/1', 'via', `${sub}.9`, 'dev', 'tun0', 'onlink'],
          ['ip', '-6', 'route', 'add', 'default', 'via', 'fe80::1', 'dev', 'tun0p'],
          ['ip', '-6', 'route', 'add', '::/1', 'via', 'fe80::9', 'dev', 'tun0'],
          ['ip', '-6', 'route', 'add', '8000::/1', 'via', 'fe80::9', 'dev', 'tun0'],
        ],
        checks: (sub, veth) => [
          { id: 'tunnel', route: 'default', expect: { via: `${sub}.9`, dev: 'tun0' } },
          { id: 'physical', route: 'default', expect: { via: `${sub}.1`, dev: veth } },
          { id: 'tunnel6', route: 'default6', expect: { via: 'fe80:0::9', dev: 'tun0' } },
          { id: 'physical6', route: 'default6', expect: { dev: 'tun0p' } },
        ],
      },
      {
        // Each half through another device: every one must meet the expectation.
        name: 'rt-def1-split',
        commands: (sub) => [
          ...pair('tun0'),
          ...pair('tun1'),
          ['ip', 'route', 'add', '0.0.0.0/1', 'via', `${sub}.9`, 'dev', 'tun0', 'onlink'],
          ['ip', 'route', 'add', '128.0.0.0/1', 'via', `${sub}.10`, 'dev', 'tun1', 'onlink'],
        ],
        checks: () => [
          { id: 'tun1', route: 'default', expect: { dev: 'tun1' } },
          { id: 'either', route: 'default', expect: { dev: { in: ['tun0', 'tun1'] } } },
        ],
      },
      {
        // One half only: the other half still leaves by the default, which stays the answer.
        name: 'rt-def1-half',
        commands: (sub) => [...pair('tun0'), ['ip', 'route', 'add', '0.0.0.0/1', 'via', `${sub}.9`, 'dev', 'tun0', 'onlink']],
        checks: (sub, veth) => [{ id: 'physical', route: 'default', expect: { via: `${sub}.1`, dev: veth } }],
      },
    ];
    const hosts = new Map<string, { host: TestHost; sub: string; results: Record<string, Result> }>();

    beforeAll(async () => {
      for (const [i, s] of DEF1.entries()) {
        const probe = await createOn({ name: s.name }, i, 80);
        cleanup.push(() => probe.host.destroy());
        for (const cmd of s.commands(probe.sub)) {
          const r = await probe.host.exec(cmd[0]!, cmd.slice(1));
          if (r.exitCode !== 0) throw new Error(`${s.name}: ${cmd.join(' ')}: ${r.stderr.trim()}`);
        }
        hosts.set(s.name, { ...probe, results: byId(await audit(probe.host, s.name, s.checks(probe.sub, probe.host.vethNs!))) });
      }
    }, 120_000);

    /** The routes the table holds for exactly `prefix` (a listing, not a lookup). */
    const listed = async (host: TestHost, prefix: string) =>
      JSON.parse((await host.exec('ip', ['-j', 'route', 'show', 'table', 'main', prefix])).stdout) as Array<{ dst: string; gateway?: string; dev: string }>;

    it('0.0.0.0/1 and 128.0.0.0/1 on tun0: the kernel and plumbline leave by tun0, not by the default', async () => {
      const { host, sub, results } = hosts.get('rt-def1')!;
      for (const to of [V4_PROBE, '192.0.2.1']) {
        const kernel = await kernelRoute(host, 4, to);
        expect(kernel, to).toEqual({ via: `${sub}.9`, dev: 'tun0', table: 'main' });
        expect(chosenFor(results.tunnel!, to), to).toEqual(kernel);
      }
      expect(await listed(host, '0.0.0.0/1')).toMatchObject([{ dst: '0.0.0.0/1', gateway: `${sub}.9`, dev: 'tun0' }]);
      // The default is still there; the kernel just never reaches it.
      expect(await listed(host, 'default')).toMatchObject([{ dst: 'default', gateway: `${sub}.1`, dev: host.vethNs }]);
      expect(results.tunnel!).toMatchObject({
        status: 'pass',
        actual: `0.0.0.0/1 and 128.0.0.0/1 via ${sub}.9 dev tun0 take all traffic before the default (table main, rule 32766: from all lookup main)`,
      });
      expect(results.physical!).toMatchObject({
        status: 'fail',
        message: `gateway is ${sub}.9 (0.0.0.0/1 and 128.0.0.0/1); device is tun0 (0.0.0.0/1 and 128.0.0.0/1)`,
      });
    });

    it('::/1 and 8000::/1 on tun0 for default6', async () => {
      const { host, results } = hosts.get('rt-def1')!;
      const kernel = await kernelRoute(host, 6);
      expect(kernel).toEqual({ via: 'fe80::9', dev: 'tun0', table: 'main' });
      expect(chosenFor(results.tunnel6!, V6_PROBE)).toEqual(kernel);
      expect(results.tunnel6!.status).toBe('pass');
      expect(results.tunnel6!.actual).toMatch(/^::\/1 and 8000::\/1 via fe80::9 dev tun0 metric 1024 take all traffic before the default /);
      expect(results.physical6!).toMatchObject({ status: 'fail', message: 'device is tun0 (::/1 and 8000::/1)' });
    });

    it('without ip: the same split read from /proc', async () => {
      const { host, sub } = hosts.get('rt-def1')!;
      const r = byId(await auditWithoutIp(host, 'rt-def1'));
      expect(chosenFor(r.tunnel!, V4_PROBE)).toEqual({ via: `${sub}.9`, dev: 'tun0', table: 'main' });
      expect(r.tunnel!.status).toBe('pass');
      expect(r.physical!.status).toBe('fail');
    });

    it('halves on two devices: each must meet the expectation', async () => {
      const { host, sub, results } = hosts.get('rt-def1-split')!;
      const kernel = await kernelRoute(host, 4);
      expect(kernel).toEqual({ via: `${sub}.10`, dev: 'tun1', table: 'main' });
      expect(chosenFor(results.tun1!, V4_PROBE)).toEqual(kernel);
      expect(await listed(host, '0.0.0.0/1')).toMatchObject([{ dst: '0.0.0.0/1', gateway: `${sub}.9`, dev: 'tun0' }]);
      expect(chosenFor(results.tun1!, '0.0.0.1')).toEqual({ via: `${sub}.9`, dev: 'tun0', table: 'main' });
      expect(results.tun1!).toMatchObject({ status: 'fail', message: 'device is tun0 (0.0.0.0/1)' });
      expect(results.either!.status).toBe('pass');
    });

    it('one half alone leaves the default the answer, as the kernel has it for the other half', async () => {
      const { host, sub, results } = hosts.get('rt-def1-half')!;
      const kernel = await kernelRoute(host, 4);
      expect(kernel).toEqual({ via: `${sub}.1`, dev: host.vethNs, table: 'main' });
      expect(chosen(results.physical!)).toEqual(kernel);
      expect(results.physical!.status).toBe('pass');
    });
  });

  describe('links set down', () => {
    let host: TestHost;
    let sub = '';
    let results: Record<string, Result>;

    beforeAll(async () => {
      ({ host, sub } = await createOn(
        { name: 'links', commands: [...pair('d0'), ['ip', 'link', 'set', 'd0', 'down'], ...pair('d1'), ...pair('d2'), ['ip', 'link', 'set', 'd2p', 'down']] },
        6,
      ));
      cleanup.push(() => host.destroy());
      // The kernel keeps (and uses) a route over a link without carrier: the route stands on d2.
      for (const cmd of [
        ['route', 'del', 'default'],
        ['route', 'add', 'default', 'via', `${sub}.9`, 'dev', 'd2', 'onlink'],
      ]) {
        const r = await host.exec('ip', cmd);
        if (r.exitCode !== 0) throw new Error(`ip ${cmd.join(' ')}: ${r.stderr.trim()}`);
      }
      results = byId(
        await audit(host, 'links', [
          { id: 'd0.no-carrier', interface: 'd0', expect: { carrier: false } },
          { id: 'd0.carrier', interface: 'd0', expect: { carrier: true } },
          { id: 'd0.down', interface: 'd0', expect: { up: false } },
          { id: 'd1.carrier', interface: 'd1', expect: { carrier: true, up: true } },
          { id: 'd2.carrier', interface: 'd2', expect: { carrier: true } },
          { id: 'route', route: 'default', expect: { via: `${sub}.1` } },
          // Expected to leave by d0, which is down: the kernel holds no route over it.
          { id: 'route.d0', route: 'default', expect: { dev: 'd0' } },
        ]),
      );
    }, 60_000);

    it('the kernel: d0 has no UP flag, d2 is up without a carrier', async () => {
      const r = await host.exec('ip', ['-j', 'link', 'show']);
      const links = Object.fromEntries((JSON.parse(r.stdout) as Array<{ ifname: string; flags: string[] }>).map((l) => [l.ifname, l.flags]));
      expect(links.d0).not.toContain('UP');
      expect(links.d1).toEqual(expect.arrayContaining(['UP', 'LOWER_UP']));
      expect(links.d2).toContain('UP');
      expect(links.d2).toContain('NO-CARRIER');
    });

    it('an interface set down has no carrier, and says it is administratively down', () => {
      expect(results['d0.no-carrier']!).toMatchObject({ status: 'pass', message: 'd0: carrier false, administratively down' });
      expect(results['d0.carrier']!.status).toBe('fail');
      expect(results['d0.down']!.status).toBe('pass');
      expect(results['d1.carrier']!.status).toBe('pass');
      expect(results['d2.carrier']!.status).toBe('fail');
    });

    it('a route check stands on the interface it is expected to leave by, not on the one the kernel picks', async () => {
      expect(await kernelRoute(host, 4)).toEqual({ via: `${sub}.9`, dev: 'd2', table: 'main' });
      expect(chosen(results.route!)).toEqual({ via: `${sub}.9`, dev: 'd2', table: 'main' });
      // d2 without carrier explains nothing about a gateway mismatch.
      expect(results.route!.status).toBe('fail');
      expect(results.route!.cause).toBeUndefined();
      expect(results['route.d0']!).toMatchObject({ status: 'fail', message: 'device is d2', cause: 'd0.carrier' });
    });
  });

  describe('IPv6 switched off is not IPv6 open', () => {
    const CHECKS: Check[] = [
      { id: 'v6.forwarding', sysctl: 'net.ipv6.conf.all.forwarding', expect: 0 },
      { id: 'v6.accept_ra', sysctl: 'net.ipv6.conf.all.accept_ra', expect: 0 },
      { id: 'v6.disabled', sysctl: 'net.ipv6.conf.all.disable_ipv6', expect: 1 },
      { id: 'v6.route', route: 'default6', expect: { exists: true } },
      { id: 'absent.exists', sysctl: 'net.ipv4.conf.pl-nosuchif.forwarding', expect: { exists: true } },
      { id: 'absent.not-exists', sysctl: 'net.ipv4.conf.pl-nosuchif.forwarding', expect: { exists: false } },
    ];
    let off: TestHost;
    let on: TestHost;
    let offResults: Record<string, Result>;
    let onResults: Record<string, Result>;

    beforeAll(async () => {
      // forwarding and accept_ra keep values once IPv6 is off: the keys exist, and nothing uses them.
      off = await TestHost.create({
        name: 'v6off',
        sysctls: { 'net.ipv6.conf.all.forwarding': '1', 'net.ipv6.conf.all.accept_ra': '1', 'net.ipv6.conf.all.disable_ipv6': '1' },
      });
      cleanup.push(() => off.destroy());
      on = await TestHost.create({
        name: 'v6on',
        sysctls: { 'net.ipv6.conf.all.disable_ipv6': '0', 'net.ipv6.conf.all.forwarding': '0', 'net.ipv6.conf.all.accept_ra': '1' },
      });
      cleanup.push(() => on.destroy());
      offResults = byId(await audit(off, 'v6off', CHECKS));
      onResults = byId(await audit(on, 'v6on', CHECKS));
    }, 60_000);

    it('the kernel: no IPv6 address at all when off, ::1 on lo when on; the keys keep their values', async () => {
      const addrs = async (h: TestHost) => JSON.parse((await h.exec('ip', ['-j', '-6', 'addr', 'show'])).stdout) as unknown[];
      expect(await addrs(off)).toEqual([]);
      expect(JSON.stringify(await addrs(on))).toContain('"local":"::1"');
      expect((await off.exec('sysctl', ['-n', 'net.ipv6.conf.all.forwarding'])).stdout.trim()).toBe('1');
      expect((await off.exec('ip', ['-6', 'route', 'get', V6_PROBE])).exitCode).not.toBe(0);
    });

    it('with disable_ipv6 = 1, IPv6 sysctl and default6 checks skip with the reason; disable_ipv6 itself is judged', () => {
      const reason = 'not applicable: IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6 = 1)';
      for (const id of ['v6.forwarding', 'v6.accept_ra', 'v6.route']) expect(offResults[id]!, id).toMatchObject({ status: 'skip', message: reason });
      expect(offResults['v6.disabled']!.status).toBe('pass');
    });

    it('with IPv6 on, the same checks are judged', async () => {
      expect(onResults['v6.forwarding']!.status).toBe('pass');
      expect(onResults['v6.accept_ra']!).toMatchObject({ status: 'fail', actual: '1' });
      expect(onResults['v6.disabled']!.status).toBe('fail');
      // No IPv6 default in this namespace, and the kernel agrees it has no route.
      expect((await on.exec('ip', ['-6', 'route', 'get', V6_PROBE])).stderr.trim()).toBe('RTNETLINK answers: Network is unreachable');
      expect(onResults['v6.route']!.status).toBe('fail');
    });

    it('an absent key: exists: true fails, exists: false passes', async () => {
      expect((await on.exec('sysctl', ['-n', 'net.ipv4.conf.pl-nosuchif.forwarding'])).exitCode).not.toBe(0);
      for (const r of [onResults, offResults]) {
        expect(r['absent.exists']!.status).toBe('fail');
        expect(r['absent.not-exists']!.status).toBe('pass');
      }
    });
  });
});
