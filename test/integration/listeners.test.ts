// Listener verdicts against the kernel. A namespace test host runs real servers bound to IPv4-mapped addresses
// on v6 sockets (::ffff:127.0.0.1, ::ffff:0.0.0.0), [::] dual-stack and v6only, 127.0.0.1, ::1 and the veth
// address; the built CLI audits it with policies whose addresses are written in every spelling (full and
// compressed IPv6, upper case, CIDR, mapped). Then every verdict is held to what the kernel does with a
// connection: from inside the namespace to 127.0.0.1 and ::1, and from this (the root) namespace to the veth
// address. Traffic goes only to loopback and to 198.18.48.0/20.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, connectFromPeer, netnsSkipReason, run } from './harness/netns.js';
import { byId, report, runCleanups, which } from './harness/audit.js';
import type { ConnectOutcome, ExecResult, HostSpec, ListenerSpec } from './harness/netns.js';
import type { Report } from '../../src/report/model.js';

const ROOT = resolve(import.meta.dirname, '../..');
const why = netnsSkipReason();
if (why) console.log(`skipping listener integration tests: ${why}`);

// Ports of host "lsn": one server each, except 8081 (a v6only [::] paired with ::ffff:0.0.0.0).
const MAPPED_LO = 6379;
const MAPPED_ANY = 8080;
const PAIR = 8081;
const DUAL = 80;
const V6ONLY = 443;
const LO4 = 6380;
const LO6 = 5432;
const VETH = 9000;

function listenerSpecs(nsAddr: string): ListenerSpec[] {
  return [
    { address: '::ffff:127.0.0.1', port: MAPPED_LO, name: 'pl-mapped-lo' },
    { address: '::ffff:0.0.0.0', port: MAPPED_ANY, name: 'pl-mapped-any' },
    { address: '::ffff:0.0.0.0', port: PAIR, name: 'pl-pair-v4' },
    { address: '::', port: PAIR, v6only: true, name: 'pl-pair-v6' },
    { address: '::', port: DUAL, v6only: false, name: 'pl-dual' },
    { address: '::', port: V6ONLY, v6only: true, name: 'pl-v6only' },
    { address: '127.0.0.1', port: LO4, name: 'pl-lo4' },
    { address: '::1', port: LO6, name: 'pl-lo6' },
    { address: nsAddr, port: VETH, name: 'pl-veth' },
  ];
}

/** listener checks: id -> [port, expect]. Spellings vary on purpose: the verdicts must not. */
function listenerChecks(sub: string): Record<string, [number, Record<string, unknown>]> {
  return {
    'mapped-lo.loopback': [MAPPED_LO, { bind: 'loopback' }],
    'mapped-lo.specific': [MAPPED_LO, { bind: 'specific' }],
    'mapped-lo.any': [MAPPED_LO, { bind: 'any' }],
    'mapped-lo.list-mapped-upper': [MAPPED_LO, { bind: ['::FFFF:127.0.0.1'] }],
    'mapped-lo.list-cidr': [MAPPED_LO, { bind: ['127.0.0.0/8', '::1'] }],
    'mapped-lo.list-v6-only': [MAPPED_LO, { bind: ['::1'] }],
    'mapped-any.any': [MAPPED_ANY, { bind: 'any' }],
    'mapped-any.specific': [MAPPED_ANY, { bind: 'specific' }],
    'mapped-any.loopback': [MAPPED_ANY, { bind: 'loopback' }],
    'mapped-any.list-narrow-cidr': [MAPPED_ANY, { bind: ['0.0.0.0/8'] }],
    'mapped-any.list-v4-all': [MAPPED_ANY, { bind: ['0.0.0.0/0'] }],
    'mapped-any.list-v6-all': [MAPPED_ANY, { bind: ['::/0'] }],
    'dual.any': [DUAL, { bind: 'any' }],
    'dual.specific': [DUAL, { bind: 'specific' }],
    'dual.loopback': [DUAL, { bind: 'loopback' }],
    'dual.list-v6-wildcard': [DUAL, { bind: ['::'] }],
    'dual.list-both-wildcards': [DUAL, { bind: ['0:0:0:0:0:0:0:0', '0.0.0.0'] }],
    'dual.list-star': [DUAL, { bind: ['*'] }],
    'dual.list-both-slash0': [DUAL, { bind: ['[::/0]', '0.0.0.0/0'] }],
    'v6only.any': [V6ONLY, { bind: 'any' }],
    'v6only.specific': [V6ONLY, { bind: 'specific' }],
    'v6only.loopback': [V6ONLY, { bind: 'loopback' }],
    'v6only.list-v6-all': [V6ONLY, { bind: ['::/0'] }],
    'v6only.list-v4-all': [V6ONLY, { bind: ['0.0.0.0/0'] }],
    'pair.any': [PAIR, { bind: 'any' }],
    'pair.list-both-wildcards': [PAIR, { bind: ['::', '::FFFF:0.0.0.0'] }],
    'lo4.loopback': [LO4, { bind: 'loopback' }],
    'lo4.any': [LO4, { bind: 'any' }],
    'lo4.list-cidr': [LO4, { bind: ['127.0.0.0/8', '::1'] }],
    'lo4.list-other-cidr': [LO4, { bind: ['10.0.0.0/8'] }],
    'lo6.loopback': [LO6, { bind: 'loopback' }],
    'lo6.any': [LO6, { bind: 'any' }],
    'lo6.list-compressed': [LO6, { bind: ['0:0::1'] }],
    'lo6.list-full': [LO6, { bind: ['[0:0:0:0:0:0:0:1]'] }],
    'veth.loopback': [VETH, { bind: 'loopback' }],
    'veth.specific': [VETH, { bind: 'specific' }],
    'veth.any': [VETH, { bind: 'any' }],
    'veth.list-subnet': [VETH, { bind: [`${sub}.0/24`] }],
    'veth.list-address': [VETH, { bind: [`${sub}.2`] }],
    'veth.list-loopback': [VETH, { bind: ['127.0.0.0/8', '::1'] }],
  };
}

const LISTENER_VERDICTS: Record<string, 'pass' | 'fail'> = {
  'mapped-lo.loopback': 'pass',
  'mapped-lo.specific': 'pass',
  'mapped-lo.any': 'fail',
  'mapped-lo.list-mapped-upper': 'pass',
  'mapped-lo.list-cidr': 'pass',
  // ::ffff:127.0.0.1 is 127.0.0.1, which ::1 is not.
  'mapped-lo.list-v6-only': 'fail',
  'mapped-any.any': 'pass',
  'mapped-any.specific': 'fail',
  'mapped-any.loopback': 'fail',
  // A CIDR narrower than everything does not hold a wildcard, though 0.0.0.0 is inside 0.0.0.0/8 as an address.
  'mapped-any.list-narrow-cidr': 'fail',
  'mapped-any.list-v4-all': 'pass',
  // ::ffff:0.0.0.0 is the IPv4 wildcard: ::/0 is every IPv6 address only.
  'mapped-any.list-v6-all': 'fail',
  'dual.any': 'pass',
  'dual.specific': 'fail',
  'dual.loopback': 'fail',
  'dual.list-v6-wildcard': 'fail',
  'dual.list-both-wildcards': 'pass',
  'dual.list-star': 'pass',
  'dual.list-both-slash0': 'pass',
  'v6only.any': 'pass',
  'v6only.specific': 'fail',
  'v6only.loopback': 'fail',
  'v6only.list-v6-all': 'pass',
  'v6only.list-v4-all': 'fail',
  'pair.any': 'pass',
  'pair.list-both-wildcards': 'pass',
  'lo4.loopback': 'pass',
  'lo4.any': 'fail',
  'lo4.list-cidr': 'pass',
  'lo4.list-other-cidr': 'fail',
  'lo6.loopback': 'pass',
  'lo6.any': 'fail',
  'lo6.list-compressed': 'pass',
  'lo6.list-full': 'pass',
  'veth.loopback': 'fail',
  'veth.specific': 'pass',
  'veth.any': 'fail',
  'veth.list-subnet': 'pass',
  'veth.list-address': 'pass',
  'veth.list-loopback': 'fail',
};

/** Allow-lists over every listener of the host: one wide enough, one with entries that each miss by a little. */
function allowLists(sub: string): Record<string, (string | number)[]> {
  return {
    'only.wide': [
      '[0:0:0:0:0:0:0:1]:5432',
      '127.0.0.0/8:6379',
      '127.0.0.1:6380',
      '0.0.0.0/0:8080',
      '[::]:80',
      '0.0.0.0:80',
      '[::/0]:443',
      `${sub}.0/24:9000`,
      '[0:0::0]:8081',
      '[::FFFF:0.0.0.0]:8081',
    ],
    'only.narrow': ['[0:0::1]:5432', '[::FFFF:127.0.0.1]:6379', '127.0.0.1:6380', '10.0.0.0/8:8080', '[::]:80', '[FD00::/8]:443', `${sub}.2:9000`, '*:8081'],
  };
}

function policyYaml(sub: string): string {
  const lines = ['apiVersion: plumbline/v1', 'kind: Policy', 'metadata: { name: listeners-by-address }', 'checks:'];
  for (const [id, [port, expect]] of Object.entries(listenerChecks(sub))) {
    lines.push(`  - id: ${id}`, '    severity: low', `    listener: { port: ${port}, protocol: tcp }`, `    expect: ${JSON.stringify(expect)}`);
  }
  for (const [id, only] of Object.entries(allowLists(sub))) {
    lines.push(`  - id: ${id}`, '    severity: low', '    listeners: { protocol: tcp }', `    expect: ${JSON.stringify({ only })}`);
  }
  return `${lines.join('\n')}\n`;
}

// Connection attempts from inside a namespace, all in one interpreter: one line of JSON in, one out.
const PROBE_PY = String.raw`
import json, socket, sys
out = []
for addr, port in json.loads(sys.argv[1]):
    s = socket.socket(socket.AF_INET6 if ':' in addr else socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1.5)
    try:
        s.connect((addr, port))
        out.append('open')
    except ConnectionRefusedError:
        out.append('refused')
    except socket.timeout:
        out.append('timeout')
    finally:
        s.close()
print(json.dumps(out))
`;

interface Reach {
  /** Inside the namespace, to 127.0.0.1:PORT. */
  lo4: ConnectOutcome;
  /** Inside the namespace, to [::1]:PORT. */
  lo6: ConnectOutcome;
  /** From the root namespace to the veth address: what a host on the network sees. */
  peer: ConnectOutcome;
}

async function probeInside(host: TestHost, targets: [string, number][]): Promise<ConnectOutcome[]> {
  const r = await host.exec('python3', ['-c', PROBE_PY, JSON.stringify(targets)], { timeoutMs: 30_000 });
  if (r.exitCode !== 0) throw new Error(`probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as ConnectOutcome[];
}

async function reachOf(host: TestHost, nsAddr: string, ports: number[]): Promise<Record<number, Reach>> {
  const inside = await probeInside(
    host,
    ports.flatMap((p): [string, number][] => [
      ['127.0.0.1', p],
      ['::1', p],
    ]),
  );
  const out: Record<number, Reach> = {};
  for (const [i, port] of ports.entries()) {
    out[port] = { lo4: inside[2 * i]!, lo6: inside[2 * i + 1]!, peer: await connectFromPeer(nsAddr, port) };
  }
  return out;
}

/** A host with a veth on a free /24 of 198.18.48.0/20 (other test files use other ranges). */
async function createWithVeth(
  spec: Omit<HostSpec, 'veth' | 'listeners'>,
  listeners: (nsAddr: string) => ListenerSpec[],
): Promise<{ host: TestHost; sub: string }> {
  for (let attempt = 0; ; attempt++) {
    const sub = `198.18.${48 + ((process.pid + attempt * 5) % 16)}`;
    try {
      const host = await TestHost.create({ ...spec, listeners: listeners(`${sub}.2`), veth: { hostAddr: `${sub}.1/24`, nsAddr: `${sub}.2/24` } });
      return { host, sub };
    } catch (e) {
      if (attempt >= 6 || !/already used/.test((e as Error).message)) throw e;
    }
  }
}

(why ? describe.skip : describe)('listener verdicts against the kernel (network-namespace test hosts)', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  const cli = join(ROOT, 'bin/plumbline.js');
  let ip = '';
  let host: TestHost;
  let sub = '';
  let policy = '';
  let withSs: Report;
  let reach: Record<number, Reach>;

  function tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  function audit(h: TestHost, file: string): Promise<ExecResult> {
    return h.exec(process.execPath, [cli, 'audit', '-p', file, '--format', 'json'], { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 30_000 });
  }

  /** The CLI inside `h` with a PATH holding only `node`: no ss, so dual-stack can only be assumed. */
  function auditWithoutSs(h: TestHost, file: string): Promise<ExecResult> {
    const dir = tempDir('pl-path-');
    symlinkSync(process.execPath, join(dir, 'node'));
    chmodSync(dir, 0o755);
    return run(ip, ['netns', 'exec', h.ns, process.execPath, cli, 'audit', '-p', file, '--format', 'json'], {
      env: { PATH: dir, NO_COLOR: '1' },
      timeoutMs: 30_000,
    });
  }

  beforeAll(async () => {
    ip = which('ip');
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr || build.stdout}`);
    const made = await createWithVeth({ name: 'lsn' }, listenerSpecs);
    host = made.host;
    sub = made.sub;
    cleanup.push(() => host.destroy());
    const dir = tempDir('pl-lsn-');
    chmodSync(dir, 0o755);
    policy = join(dir, 'listeners.yaml');
    writeFileSync(policy, policyYaml(sub));
    withSs = report(await audit(host, policy));
    reach = await reachOf(host, `${sub}.2`, [MAPPED_LO, MAPPED_ANY, PAIR, DUAL, V6ONLY, LO4, LO6, VETH]);
  }, 180_000);

  afterAll(() => runCleanups(cleanup));

  it('the kernel: who accepts a connection where', () => {
    expect(reach).toEqual({
      // A v6 socket on ::ffff:127.0.0.1 takes IPv4 to 127.0.0.1 only.
      [MAPPED_LO]: { lo4: 'open', lo6: 'refused', peer: 'refused' },
      // ... and on ::ffff:0.0.0.0 every IPv4 address, no IPv6.
      [MAPPED_ANY]: { lo4: 'open', lo6: 'refused', peer: 'open' },
      [PAIR]: { lo4: 'open', lo6: 'open', peer: 'open' },
      [DUAL]: { lo4: 'open', lo6: 'open', peer: 'open' },
      [V6ONLY]: { lo4: 'refused', lo6: 'open', peer: 'refused' },
      [LO4]: { lo4: 'open', lo6: 'refused', peer: 'refused' },
      [LO6]: { lo4: 'refused', lo6: 'open', peer: 'refused' },
      [VETH]: { lo4: 'refused', lo6: 'refused', peer: 'open' },
    });
  });

  it('reports the listener addresses as canonical text, mapped ones as the socket has them', () => {
    const r = byId(withSs);
    expect(r['mapped-lo.loopback']!.actual).toBe('[::ffff:127.0.0.1]:6379 (pl-mapped-lo)');
    expect(r['mapped-any.any']!.actual).toBe('[::ffff:0.0.0.0]:8080 (pl-mapped-any)');
    expect(r['dual.any']!.actual).toBe('[::]:80 (pl-dual; dual-stack: IPv4 too)');
    expect(r['v6only.any']!.actual).toBe('[::]:443 (pl-v6only)');
    expect(r['veth.any']!.actual).toBe(`${sub}.2:9000 (pl-veth)`);
  });

  it('every listener check has its verdict, whatever the spelling of the addresses', () => {
    const r = byId(withSs);
    const got = Object.fromEntries(Object.keys(LISTENER_VERDICTS).map((id) => [id, r[id]?.status]));
    expect(got).toEqual(LISTENER_VERDICTS);
  });

  it('each verdict holds against the kernel', () => {
    const r = byId(withSs);
    for (const [id, [port]] of Object.entries(listenerChecks(sub))) {
      const k = reach[port]!;
      const status = r[id]!.status;
      const kind = (r[id]!.expected.match(/loopback|all interfaces|specific/) ?? [''])[0];
      if (kind === 'loopback' && status === 'pass') {
        // Judged loopback-only: the network is refused, loopback answers.
        expect(k.peer, `${id}: the peer`).toBe('refused');
        expect([k.lo4, k.lo6], `${id}: loopback`).toContain('open');
      }
      if (kind === 'loopback' && status === 'fail') expect(port === V6ONLY || k.peer === 'open', `${id}: beyond loopback`).toBe(true);
      // Judged on a wildcard: every IPv4 address for a socket that takes IPv4, which the peer proves.
      if (kind === 'all interfaces' && status === 'pass' && k.lo4 === 'open') expect(k.peer, `${id}: the peer`).toBe('open');
      if (kind === 'all interfaces' && status === 'fail') expect([k.lo4, k.peer].includes('refused'), `${id}: not everywhere`).toBe(true);
      if (kind === 'specific' && status === 'pass') expect(k.lo4 === 'open' && k.peer === 'open', `${id}: not both`).toBe(false);
    }
    // The v6only wildcard is judged IPv6 only: IPv4 is refused everywhere (the veth has no IPv6 address to try).
    expect(r['v6only.any']!.actual).not.toContain('dual-stack');
    expect([reach[V6ONLY]!.lo4, reach[V6ONLY]!.peer]).toEqual(['refused', 'refused']);
    // Dual-stack as judged: IPv4 and IPv6 both answer.
    expect([reach[DUAL]!.lo4, reach[DUAL]!.lo6, reach[DUAL]!.peer]).toEqual(['open', 'open', 'open']);
  });

  it('dual-stack facts from ss are stated, not assumed', () => {
    for (const r of withSs.results) expect(r.actual, r.id).not.toContain('assumed');
  });

  it('allow-lists in every spelling: the wide one holds every listener', () => {
    const wide = byId(withSs)['only.wide']!;
    expect(wide.message).toBe('9 listener(s) conform');
    expect(wide.status).toBe('pass');
  });

  it('allow-lists: a narrower CIDR misses a wildcard, [::] alone misses the IPv4 half of dual-stack, fd00::/8 misses [::]', () => {
    const narrow = byId(withSs)['only.narrow']!;
    expect(narrow.status).toBe('fail');
    const failing = (narrow.details ?? []).filter((d) => d.status === 'fail').map((d) => d.subject);
    expect(failing.sort()).toEqual(
      ['tcp [::ffff:0.0.0.0]:8080 (pl-mapped-any)', 'tcp [::]:443 (pl-v6only)', 'tcp [::]:80 (pl-dual; dual-stack: IPv4 too)'].sort(),
    );
    const passing = (narrow.details ?? []).filter((d) => d.status === 'pass').map((d) => d.subject);
    expect(passing.sort()).toEqual(
      [
        `tcp ${sub}.2:9000 (pl-veth)`,
        'tcp 127.0.0.1:6380 (pl-lo4)',
        'tcp [::1]:5432 (pl-lo6)',
        'tcp [::]:8081 (pl-pair-v6)',
        'tcp [::ffff:0.0.0.0]:8081 (pl-pair-v4)',
        'tcp [::ffff:127.0.0.1]:6379 (pl-mapped-lo)',
      ].sort(),
    );
    // The allow-list verdicts agree with the kernel: what an entry misses is reachable where the entry does not reach.
    expect(reach[MAPPED_ANY]!.peer).toBe('open'); // 10.0.0.0/8:8080 does not allow the veth address
    expect(reach[DUAL]!.lo4).toBe('open'); // [::]:80 does not allow IPv4
  });

  describe('without ss', () => {
    let noSs: Report;

    beforeAll(async () => {
      const r = await auditWithoutSs(host, policy);
      expect(r.stderr).toBe('');
      noSs = report(r);
    }, 60_000);

    it('a lone [::] socket is assumed dual-stack from net.ipv6.bindv6only, and says so', () => {
      const r = byId(noSs);
      expect(r['dual.any']!.actual).toBe('[::]:80 (pl-dual; dual-stack: IPv4 too, assumed from net.ipv6.bindv6only = 0: ss was not available)');
      // The assumption is only the default: this v6only socket is assumed dual-stack, and the kernel refuses IPv4 to it.
      expect(r['v6only.any']!.actual).toBe('[::]:443 (pl-v6only; dual-stack: IPv4 too, assumed from net.ipv6.bindv6only = 0: ss was not available)');
      expect(reach[V6ONLY]!.lo4).toBe('refused');
    });

    it('a [::] socket paired with the IPv4 wildcard ::ffff:0.0.0.0 on its port is v6only as a fact', () => {
      const pair = byId(noSs)['pair.any']!.actual;
      expect(pair).toBe('[::]:8081 (pl-pair-v6), [::ffff:0.0.0.0]:8081 (pl-pair-v4)');
      expect(pair).not.toContain('assumed');
    });

    it('only the v6only socket changes verdicts, because of the assumption', () => {
      const a = byId(withSs);
      const b = byId(noSs);
      const changed = Object.keys(a).filter((id) => a[id]!.status !== b[id]!.status);
      // Assumed dual-stack, [::]:443 now counts as 0.0.0.0 too: ::/0 alone no longer holds it.
      expect(changed.sort()).toEqual(['only.wide', 'v6only.list-v6-all']);
    });
  });

  describe('without ss, net.ipv6.bindv6only = 1', () => {
    let other: TestHost;
    let noSs: Report;

    beforeAll(async () => {
      other = await TestHost.create({
        name: 'lsn-v6only',
        sysctls: { 'net.ipv6.bindv6only': '1' },
        listeners: [{ address: '::', port: V6ONLY, v6only: true, name: 'pl-v6only' }],
      });
      cleanup.push(() => other.destroy());
      const r = await auditWithoutSs(other, policy);
      expect(r.stderr).toBe('');
      noSs = report(r);
    }, 60_000);

    it('says the socket was assumed IPv6 only, and from what', async () => {
      expect(byId(noSs)['v6only.any']!.actual).toBe('[::]:443 (pl-v6only; IPv6 only, assumed from net.ipv6.bindv6only = 1: ss was not available)');
      const [lo4, lo6] = await probeInside(other, [
        ['127.0.0.1', V6ONLY],
        ['::1', V6ONLY],
      ]);
      expect([lo4, lo6]).toEqual(['refused', 'open']);
    });
  });
});
