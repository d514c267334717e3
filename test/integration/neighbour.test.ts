// The neighbour kind and the baseline's net.gateway-neighbour held to the kernel. Each host is a network
// namespace whose veth peer (198.18.216.0/21, one /24 each) is its only neighbour; the built CLI audits it from
// inside, and every verdict is compared with `ip -j neigh show` run in the same namespace. Traffic: TCP connects
// from inside a namespace to its own /24 only (the veth peer in the root namespace, or an address of that /24
// nobody holds), which is what makes the kernel resolve the neighbour (this machine has no ping).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, netnsSkipReason, run } from './harness/netns.js';
import type { HostSpec } from './harness/netns.js';
import { byId, report, runCleanups, which } from './harness/audit.js';
import type { Report } from '../../src/report/model.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const why = netnsSkipReason();
if (why) console.log(`skipping neighbour integration tests: ${why}`);

/** A TCP connect to port 9 from inside the namespace: the kernel resolves the next hop first. Never throws. */
const CONNECT = `
const s = require('node:net').connect({ host: process.argv[1], port: 9 });
const done = () => { s.destroy(); process.exit(0); };
s.on('connect', done); s.on('error', done); setTimeout(done, Number(process.argv[2]));
`;

interface Neigh {
  dst: string;
  dev: string;
  state: string[];
}

async function kernelNeighbours(host: TestHost): Promise<Neigh[]> {
  const r = await host.exec('ip', ['-j', 'neigh', 'show']);
  if (r.exitCode !== 0) throw new Error(`ip -j neigh show: ${r.stderr}`);
  return JSON.parse(r.stdout) as Neigh[];
}

/** Waits until the kernel's entry for `address` is in one of `states` (resolution takes a few ARP retries). */
async function entryIn(host: TestHost, address: string, states: string[], timeoutMs = 10_000): Promise<Neigh> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const e = (await kernelNeighbours(host)).find((n) => n.dst === address);
    if (e?.state.some((s) => states.includes(s))) return e;
    if (Date.now() > until) throw new Error(`${address}: ${JSON.stringify(e)} never reached ${states.join('/')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Creates a host on a free /24 of 198.18.216.0/21, retrying when another test holds the subnet. */
async function createOn(spec: Omit<HostSpec, 'veth'>, offset: number): Promise<{ host: TestHost; sub: string }> {
  for (let attempt = 0; ; attempt++) {
    const sub = `198.18.${216 + ((process.pid + offset + attempt * 3) % 8)}`;
    try {
      return { host: await TestHost.create({ ...spec, veth: { hostAddr: `${sub}.1/24`, nsAddr: `${sub}.2/24` } }), sub };
    } catch (e) {
      if (attempt >= 8 || !/already used/.test((e as Error).message)) throw e;
    }
  }
}

/** TCP connects beyond the host: 198.19.9.9 is held by no host, and no packet for it leaves the namespace. */
const BEYOND = '198.19.9.9';
const CAUSES = `apiVersion: plumbline/v1
kind: Policy
metadata: { name: causes }
checks:
  - { id: far, title: far, severity: high, tcp: { host: ${BEYOND}, port: 80 }, expect: { connect: open }, timeout: 15s }
`;

const POLICY = `apiVersion: plumbline/v1
kind: Policy
metadata: { name: neighbour }
checks:
  - { id: gw, title: gw, severity: medium, neighbour: { gateway: default }, expect: { resolved: true } }
`;

(why ? describe.skip : describe)('neighbour: the default gateway against the kernel (network-namespace test hosts)', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  let policy = '';
  let dir = '';

  /** A policy file of the run's own directory. */
  const policyFile = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  /** A host whose default route goes through an address of its /24 that nobody holds. */
  const deadGateway = async (name: string, offset: number): Promise<{ host: TestHost; gw: string }> => {
    const { host, sub } = await createOn({ name }, offset);
    cleanup.push(() => host.destroy());
    const gw = `${sub}.9`;
    const r = await host.exec('ip', ['route', 'replace', 'default', 'via', gw, 'dev', host.vethNs!]);
    expect(r.exitCode, r.stderr).toBe(0);
    return { host, gw };
  };

  const audit = (host: TestHost, args: string[]): Promise<Report> =>
    host.exec(process.execPath, [CLI, 'audit', ...args, '--format', 'json'], { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 30_000 }).then(report);

  const connect = (host: TestHost, address: string, ms: number) => host.exec(process.execPath, ['-e', CONNECT, address, String(ms)], { timeoutMs: ms + 5_000 });

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr || build.stdout}`);
    dir = mkdtempSync(join(tmpdir(), 'pl-neigh-'));
    chmodSync(dir, 0o755);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    policy = policyFile('neighbour.yaml', POLICY);
  }, 180_000);

  afterAll(() => runCleanups(cleanup));

  /** What the kernel says of a path to `to`: the route it picks, or its error. */
  const routeGet = async (host: TestHost, to: string) => {
    const r = await host.exec('ip', ['-j', 'route', 'get', to]);
    return r.exitCode === 0 ? { route: (JSON.parse(r.stdout) as Array<{ gateway?: string; dev: string }>)[0]! } : { error: r.stderr.trim() };
  };

  it('a TCP connect beyond a gateway nobody answers for: the implied next-hop check is its cause, as ip neigh says', async () => {
    const { host, gw } = await deadGateway('nb-cause', 3);
    const rep = await audit(host, ['-p', policyFile('causes.yaml', CAUSES)]);
    const res = byId(rep);
    // The kernel: the route to the address goes through the gateway, whose entry did not resolve.
    expect(await routeGet(host, BEYOND)).toMatchObject({ route: { gateway: gw, dev: host.vethNs } });
    const kernel = await entryIn(host, gw, ['FAILED', 'INCOMPLETE']);
    expect(kernel.dev).toBe(host.vethNs);
    expect(res[`implied.route.${BEYOND}`]).toMatchObject({ status: 'pass' });
    expect(res[`implied.neighbour.${BEYOND}`]).toMatchObject({ status: 'fail', reason: { code: 'neighbour-state', address: gw, holds: false } });
    expect(res.far).toMatchObject({ status: 'fail', cause: `implied.neighbour.${BEYOND}` });
    // The pings from the host went nowhere either: ping's own words, from this host, say the next hop failed.
    expect(res[`implied.icmp.${BEYOND}`]).toMatchObject({ status: 'fail', cause: `implied.neighbour.${BEYOND}`, reason: { code: 'icmp-no-reply' } });
    const ping = await host.exec('ping', ['-n', '-c', '1', '-W', '3', BEYOND], { timeoutMs: 15_000 });
    expect(ping.stdout).toMatch(/Destination Host Unreachable|100% packet loss/);
    expect(rep.rootCauses).toEqual([{ id: `implied.neighbour.${BEYOND}`, explains: ['far', `implied.icmp.${BEYOND}`] }]);
  }, 90_000);

  it('ICMP dropped while TCP gets through: the implied ping is skipped as filtered, ping agrees, and explains no failure', async () => {
    // Audited from this machine toward the host's veth address: the host drops echo requests and port 9, and serves
    // a listener on another port.
    const { host, sub } = await createOn(
      {
        name: 'nb-icmpf',
        nft: 'table inet f {\n  chain inbound {\n    type filter hook input priority 0;\n    icmp type echo-request drop\n    tcp dport 9 drop\n  }\n}\n',
        listeners: [{ address: '0.0.0.0', port: 0 }],
      },
      4,
    );
    cleanup.push(() => host.destroy());
    const target = `${sub}.2`;
    const port = host.listeners[0]!.port;
    const file = policyFile(
      'filtered.yaml',
      `apiVersion: plumbline/v1
kind: Policy
metadata: { name: filtered }
checks:
  - { id: open, title: open, severity: high, tcp: { host: ${target}, port: ${port} }, expect: { connect: open } }
  - { id: dropped, title: dropped, severity: high, tcp: { host: ${target}, port: 9 }, expect: { connect: open }, timeout: 3s }
`,
    );
    const r = await run(process.execPath, [CLI, 'audit', '-p', file, '--format', 'json'], { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 60_000 });
    const res = byId(report(r));
    const ping = await run('ping', ['-n', '-c', '2', '-i', '0.2', '-W', '1', target], { timeoutMs: 15_000 });
    expect(ping.stdout).toMatch(/2 packets transmitted, 0 received, 100% packet loss/);
    expect(res.open!.status).toBe('pass');
    expect(res[`implied.icmp.${target}`]).toMatchObject({ status: 'skip', reason: { code: 'icmp-filtered', was: { code: 'icmp-no-reply' } } });
    expect(res[`implied.neighbour.${target}`]).toMatchObject({ status: 'pass' });
    expect(res.dropped).toMatchObject({ status: 'fail' });
    expect(res.dropped!.cause).toBeUndefined();
  }, 90_000);

  it('a TCP connect with no route at all: the implied route check is its cause, as ip route get says', async () => {
    const host = await TestHost.create({ name: 'nb-noroute2' });
    cleanup.push(() => host.destroy());
    const causes = policyFile('causes.yaml', CAUSES);
    expect(await routeGet(host, BEYOND)).toMatchObject({ error: expect.stringMatching(/Network is unreachable/) });
    const res = byId(await audit(host, ['-p', causes]));
    expect(res[`implied.route.${BEYOND}`]).toMatchObject({ status: 'fail', reason: { code: 'no-route' }, message: `no route to ${BEYOND}` });
    expect(res[`implied.neighbour.${BEYOND}`]).toMatchObject({ status: 'skip' });
    expect(res.far).toMatchObject({ status: 'fail', cause: `implied.route.${BEYOND}` });
  }, 90_000);

  it('a gateway nobody answers for: FAILED or INCOMPLETE after a connection attempt, and the check fails', async () => {
    const { host, gw } = await deadGateway('nb-dead', 0);
    await connect(host, gw, 4_000);
    const kernel = await entryIn(host, gw, ['FAILED', 'INCOMPLETE']);
    const rep = await audit(host, ['-p', policy]);
    const res = byId(rep).gw!;
    // The kernel's entry may move from INCOMPLETE to FAILED between the two readings, never to a resolved state.
    expect(res.status).toBe('fail');
    expect(res.message).toMatch(new RegExp(`^neighbour ${gw.replaceAll('.', '\\.')} on ${host.vethNs} is (FAILED|INCOMPLETE): it did not answer ARP$`));
    expect(kernel.dev).toBe(host.vethNs);
    const after = (await kernelNeighbours(host)).find((n) => n.dst === gw)!;
    expect(after.state.some((s) => s === 'FAILED' || s === 'INCOMPLETE')).toBe(true);
  }, 60_000);

  it('a gateway that answers (the veth peer in the root namespace): resolved, and the check passes', async () => {
    const { host, sub } = await createOn({ name: 'nb-live' }, 1);
    cleanup.push(() => host.destroy());
    const gw = `${sub}.1`;
    await connect(host, gw, 2_000);
    const kernel = await entryIn(host, gw, ['REACHABLE', 'STALE', 'DELAY', 'PROBE']);
    expect(kernel.dev).toBe(host.vethNs);
    const res = byId(await audit(host, ['-p', policy])).gw!;
    expect(res.status).toBe('pass');
    expect(res.actual).toMatch(new RegExp(`^${gw.replaceAll('.', '\\.')} dev ${host.vethNs} lladdr [0-9a-f:]{17} (REACHABLE|STALE|DELAY|PROBE)$`));
  }, 60_000);

  it('a default route through a tun device: skipped, because a point-to-point link resolves no neighbours', async () => {
    const { host } = await createOn(
      {
        name: 'nb-tun',
        commands: [
          ['ip', 'tuntap', 'add', 'mode', 'tun', 'tun9'],
          ['ip', 'link', 'set', 'tun9', 'up'],
        ],
      },
      2,
    );
    cleanup.push(() => host.destroy());
    const r = await host.exec('ip', ['route', 'replace', 'default', 'dev', 'tun9']);
    expect(r.exitCode, r.stderr).toBe(0);
    const link = JSON.parse((await host.exec('ip', ['-j', 'link', 'show', 'tun9'])).stdout) as Array<{ flags: string[] }>;
    expect(link[0]!.flags).toEqual(expect.arrayContaining(['POINTOPOINT', 'NOARP']));
    const res = byId(await audit(host, ['-p', policy])).gw!;
    expect(res).toMatchObject({ status: 'skip', message: 'tun9 is a point-to-point link: it resolves no neighbours' });
  }, 60_000);

  it('without ip: /proc/net/arp in its stead, each IPv4 verdict the one ip neigh gives, IPv6 an error that says why', async () => {
    // 198.19.80.0/20, one /24 per try: .1 the veth peer (pinged by the policy itself, so the table is read after
    // the pings), .5 permanent, .9 nobody (FAILED before the audit).
    let host: TestHost | undefined;
    let sub = '';
    for (let attempt = 0; !host; attempt++) {
      sub = `198.19.${80 + ((process.pid + attempt) % 16)}`;
      try {
        host = await TestHost.create({ name: 'nb-noip', veth: { hostAddr: `${sub}.1/24`, nsAddr: `${sub}.2/24` } });
      } catch (e) {
        if (attempt >= 8 || !/already used/.test((e as Error).message)) throw e;
      }
    }
    const h = host;
    cleanup.push(() => h.destroy());
    const add = await h.exec('ip', ['neigh', 'add', `${sub}.5`, 'lladdr', '02:00:00:00:00:05', 'dev', h.vethNs!, 'nud', 'permanent']);
    expect(add.exitCode, add.stderr).toBe(0);
    await connect(h, `${sub}.9`, 4_000);
    await entryIn(h, `${sub}.9`, ['FAILED']);
    const dir = mkdtempSync(join(tmpdir(), 'pl-noip-'));
    chmodSync(dir, 0o755);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, 'p.yaml'),
      `apiVersion: plumbline/v1
kind: Policy
metadata: { name: noip }
checks:
  - { id: ping, title: ping, severity: low, icmp: { host: ${sub}.1, count: 1 }, expect: { reachable: true } }
  - { id: peer, title: peer, severity: low, neighbour: { address: ${sub}.1 }, expect: { resolved: true } }
  - { id: perm, title: perm, severity: low, neighbour: { address: ${sub}.5 }, expect: { resolved: true } }
  - { id: dead, title: dead, severity: low, neighbour: { address: ${sub}.9 }, expect: { resolved: true } }
  - { id: v6, title: v6, severity: low, neighbour: { address: 'fe80::1' }, expect: { resolved: true } }
`,
    );
    // A PATH with node and ping, and no ip.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync(which('ping'), join(bin, 'ping'));
    const r = await run(which('ip'), ['netns', 'exec', h.ns, process.execPath, CLI, 'audit', '-p', join(dir, 'p.yaml'), '--format', 'json'], {
      env: { PATH: bin, NO_COLOR: '1' },
      timeoutMs: 30_000,
    });
    const res = byId(report(r));
    const kernel = await kernelNeighbours(h);
    const RESOLVED = ['REACHABLE', 'STALE', 'DELAY', 'PROBE', 'PERMANENT'];
    for (const [id, last, seen] of [
      ['peer', 1, 'COMPLETE'],
      ['perm', 5, 'PERMANENT'],
      ['dead', 9, 'UNRESOLVED'],
    ] as const) {
      const k = kernel.find((n) => n.dst === `${sub}.${last}`)!;
      expect(k.dev).toBe(h.vethNs);
      expect(res[id]!.status, `${id}: ip neigh says ${k.state.join(',')}`).toBe(k.state.some((s) => RESOLVED.includes(s)) ? 'pass' : 'fail');
      expect(res[id]!.actual).toMatch(new RegExp(` ${seen}$`));
    }
    expect(res.ping!.status).toBe('pass');
    expect(res.dead!.message).toBe(`neighbour ${sub}.9 on ${h.vethNs} is UNRESOLVED: it did not answer ARP`);
    expect(res.v6).toMatchObject({
      status: 'error',
      reason: { code: 'neighbours-unreadable', address: 'fe80::1', families: [6] },
      message: 'cannot judge neighbour fe80::1: IPv6 neighbours are unknown: `ip` (iproute2) was not found, and /proc/net/arp, read instead, holds IPv4 alone',
    });
  }, 90_000);

  it('no default route: the baseline check skips, with the reason, and neither fails nor errors', async () => {
    const host = await TestHost.create({ name: 'nb-noroute' });
    cleanup.push(() => host.destroy());
    const routes = JSON.parse((await host.exec('ip', ['-j', 'route', 'show', 'default'])).stdout) as unknown[];
    expect(routes).toEqual([]);
    const res = byId(await audit(host, []))['net.gateway-neighbour'];
    expect(res).toMatchObject({ status: 'skip', message: 'no default route: no gateway to resolve' });
  }, 60_000);
});
