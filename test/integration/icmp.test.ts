// The icmp and mtu kinds held to the kernel's own tools. Each case builds fresh network namespaces (the audited
// host H, and where the case needs them a router R and a target T, joined by veth pairs made inside them), runs
// the built CLI inside H, and runs ping, tracepath or ip neigh in the same namespace beside it. Every address is
// in 198.19.32.0/20 and lives only inside the namespaces (never in the root namespace, so no other test's
// subnet can collide with it); every packet stays between them. Fresh namespaces per case, because the kernel
// caches a path MTU per destination and a router limits its ICMP errors per peer.
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, ReportResult } from '../../src/report/model.js';
import { byId, report, runCleanups } from './harness/audit.js';
import { TestHost, netnsSkipReason, run } from './harness/netns.js';
import type { RoutedAddresses } from './harness/routed.js';
import { BLACKHOLE_NFT, behind, delayedLink, link, ok, pingSays, pingWithoutCapability } from './harness/routed.js';
import type { SshFleet } from './harness/ssh-hosts.js';
import { NONROOT_USER, sshFleetSkipReason, startSshFleet } from './harness/ssh-hosts.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
const why = netnsSkipReason();
if (why) console.log(`skipping icmp integration tests: ${why}`);

const H = '198.19.32.2';
const R_NEAR = '198.19.32.1';
const R_FAR = '198.19.33.1';
const T = '198.19.33.2';

/** The path of every case: H -- R -- T. */
const AT: RoutedAddresses = { h: H, rNear: R_NEAR, rFar: R_FAR, t: T };

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.ceil(v.length / 2) - 1]!;
const esc = (address: string): string => address.replaceAll('.', '\\.');

// The cases both ways of auditing share: each takes the audit (inside the host's namespace, or over SSH to it),
// the host the pings leave from, and the peers it was given, and holds the verdict to ping run on that host.

/** Audits the host a case is about with these checks; the results by id. */
type Audit = (checks: string) => Promise<Record<string, ReportResult>>;

/** T's input hook counts every echo request, then does `action` to it (T's one link is to the audited host). */
const echoNft = (action = ''): string =>
  `table inet f {\n chain in {\n  type filter hook input priority 0;\n  icmp type echo-request counter ${action}\n }\n}\n`;

/** How many echo requests T's rule has met. */
async function echoesAt(t: TestHost): Promise<number> {
  return Number(/counter packets (\d+)/.exec(await ok(t, 'nft', ['list', 'table', 'inet', 'f']))?.[1]);
}

/** ICMP dropped by nft at T (at `to`, on h's link): 100 % loss and no reply, as ping on h sees; T met the five. */
async function dropped(audit: Audit, h: TestHost, t: TestHost, to: string): Promise<void> {
  await t.exec('nft', ['-f', '-'], { input: echoNft('drop') });
  const res = (await audit(`  - { id: p, title: p, severity: high, icmp: { host: ${to} }, expect: { reachable: true, lossPercent: 0 } }\n`)).p!;
  expect(res.status).toBe('fail');
  expect(res.reason).toMatchObject({ code: 'icmp-no-reply', transmitted: 5, errors: 0, unreachable: [] });
  expect(res.message).toMatch(new RegExp(`^no reply from ${esc(to)}: 5 sent, none answered; no ICMP error came back`));
  expect(res.actual).toBe('5 sent, 0 received, 100% loss');
  expect(await echoesAt(t)).toBe(5);
  const kernel = pingSays((await h.exec('ping', ['-n', '-c', '3', '-i', '0.2', '-W', '1', to])).stdout);
  expect(kernel).toMatchObject({ loss: 100, received: 0 });
}

/** nft at T drops a fifth of the echo requests at random: plumbline's loss within the band ping on h shows. */
async function lossy(audit: Audit, h: TestHost, t: TestHost, to: string): Promise<void> {
  await t.exec('nft', ['-f', '-'], { input: echoNft('numgen random mod 5 == 0 drop') });
  const res = (await audit(`  - { id: p, title: p, severity: high, icmp: { host: ${to}, count: 200, interval: 5ms }, expect: { lossPercent: { lte: 0 } } }\n`))
    .p!;
  expect(res.status).toBe('fail');
  expect(res.reason).toMatchObject({ code: 'above', subject: 'loss' });
  expect(await echoesAt(t)).toBe(200);
  const ours = Number((res.reason as { actual: string }).actual);
  const kernel = pingSays((await h.exec('ping', ['-n', '-q', '-c', '200', '-i', '0.005', '-W', '1', to])).stdout).loss;
  // 200 draws of a one-in-five drop: a standard deviation under 3 points; both within 5 of them of 20 %, ...
  for (const loss of [ours, kernel]) expect(loss).toBeGreaterThan(5);
  for (const loss of [ours, kernel]) expect(loss).toBeLessThan(35);
  // ... and of each other.
  expect(Math.abs(ours - kernel)).toBeLessThan(15);
}

/** T (at `to`) behind a link that holds each packet 25 ms each way: rtt p50 at least 50 ms, close to ping's on h. */
async function delayed(audit: Audit, h: TestHost, t: TestHost, to: string): Promise<void> {
  await t.exec('nft', ['-f', '-'], { input: echoNft() });
  const res = (await audit(`  - { id: p, title: p, severity: high, icmp: { host: ${to}, count: 10 }, expect: { rttMs: { p50: { gte: 50 } } } }\n`)).p!;
  expect(res.status, res.message).toBe('pass');
  expect(await echoesAt(t)).toBe(10);
  const ours = Number(/rtt p50 ([\d.]+) ms/.exec(res.actual)![1]);
  const kernel = median(pingSays((await h.exec('ping', ['-n', '-c', '10', '-i', '0.2', to])).stdout).times);
  expect(kernel).toBeGreaterThanOrEqual(50);
  expect(Math.abs(ours - kernel)).toBeLessThan(10);
}

/** An address nobody holds beyond the router at `router`: Destination Host Unreachable from it, as ping on h names it. */
async function hostUnreachable(audit: Audit, h: TestHost, dead: string, router: string): Promise<void> {
  const res = (await audit(`  - { id: p, title: p, severity: high, icmp: { host: ${dead} }, expect: { reachable: true } }\n`)).p!;
  expect(res.status).toBe('fail');
  expect(res.reason).toMatchObject({ code: 'icmp-no-reply', unreachable: [{ kind: 'host', from: router }] });
  const kernel = await h.exec('ping', ['-n', '-c', '2', '-i', '0.2', '-W', '4', dead]);
  expect(kernel.stdout).toMatch(new RegExp(`From ${esc(router)} icmp_seq=\\d+ Destination Host Unreachable`));
}

/** h has no route to `to`: Network is unreachable, nothing sent, and ping on h agrees. */
async function noRoute(audit: Audit, h: TestHost, to: string): Promise<void> {
  const res = (await audit(`  - { id: p, title: p, severity: high, icmp: { host: ${to} }, expect: { reachable: true } }\n`)).p!;
  expect(res).toMatchObject({
    status: 'fail',
    message: `no ICMP sent to ${to}: the network is unreachable (this host has no route there)`,
    reason: { code: 'icmp-not-sent', why: 'network-unreachable' },
  });
  const kernel = await h.exec('ping', ['-n', '-c', '1', '-W', '1', to]);
  expect(kernel.stderr).toContain('connect: Network is unreachable');
}

/** A 1400-byte probe through a router to `to` (every link 1500) passes: the path MTU beyond it from tracepath, as tracepath on h says. */
async function smallerProbePasses(audit: Audit, h: TestHost, to: string): Promise<void> {
  const res = (await audit(`  - { id: m, title: m, severity: high, mtu: { host: ${to}, size: 1372 }, expect: { pathMtu: 1500 } }\n`)).m!;
  const trace = await ok(h, 'tracepath', ['-n', '-m', '4', to]);
  expect(trace).toMatch(/pmtu 1500/);
  expect(res.status).toBe('pass');
  expect(res.actual).toBe('passes: a 1400-byte packet arrives unfragmented (path MTU at least 1500); tracepath: pmtu 1500, reached');
}

type Neighbours = Array<{ dst: string; state: string[] }>;

/** h has not spoken to its neighbour at `to`: the policy pings it, and its entry on h is resolved when read. */
async function neighbourAfterPings(audit: Audit, h: TestHost, to: string): Promise<void> {
  const before = JSON.parse(await ok(h, 'ip', ['-j', 'neigh', 'show'])) as Neighbours;
  expect(before.find((n) => n.dst === to)).toBeUndefined();
  const res = await audit(
    `  - { id: nb, title: n, severity: high, neighbour: { address: ${to} }, expect: { resolved: true } }\n` +
      `  - { id: p, title: p, severity: high, icmp: { host: ${to}, count: 1 }, expect: { reachable: true } }\n`,
  );
  expect(res.p!.status).toBe('pass');
  expect(res.nb!.status, res.nb!.message).toBe('pass');
  const after = JSON.parse(await ok(h, 'ip', ['-j', 'neigh', 'show'])) as Neighbours;
  expect(after.find((n) => n.dst === to)?.state.some((s) => ['REACHABLE', 'STALE', 'DELAY', 'PROBE'].includes(s))).toBe(true);
}

/** What a ping without cap_net_raw, where net.ipv4.ping_group_range is `1 0`, is reported as. */
const NO_SOCKET =
  'ICMP cannot be sent from this host: ping has no raw-socket capability (cap_net_raw), and net.ipv4.ping_group_range 1 0 admits no group to ICMP datagram sockets (socket: Operation not permitted)';

(why ? describe.skip : describe)('icmp and mtu against the kernel (network-namespace hosts)', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  const children: ChildProcess[] = [];
  let dir = '';

  const host = async (name: string): Promise<TestHost> => {
    const h = await TestHost.create({ name });
    cleanup.push(() => h.destroy());
    return h;
  };

  /** H -- R -- T, the far link's MTU as given. */
  const routed = async (name: string, farMtu = 1500): Promise<{ h: TestHost; r: TestHost; t: TestHost }> => {
    const h = await host(`${name}-h`);
    return { h, ...(await behind(h, name, AT, farMtu, 'default', cleanup)) };
  };

  /** Writes the policy and audits host H with the built CLI (as the given user prefix, with the given PATH). */
  const audit = async (h: TestHost, checks: string, as: string[] = [], path?: string): Promise<Record<string, ReportResult>> => {
    const file = join(dir, `${randomBytes(4).toString('hex')}.yaml`);
    writeFileSync(file, `apiVersion: plumbline/v1\nkind: Policy\nmetadata: { name: icmp }\nchecks:\n${checks}`);
    chmodSync(file, 0o644);
    const env = { ...process.env, NO_COLOR: '1', ...(path !== undefined ? { PATH: path } : {}) };
    const argv = [process.execPath, CLI, 'audit', '-p', file, '--format', 'json'];
    const [cmd, ...args] = [...as, ...(as.length ? ['--'] : []), ...argv] as [string, ...string[]];
    const rep: Report = report(await h.exec(cmd, args, { env, timeoutMs: 90_000 }));
    return byId(rep);
  };

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr || build.stdout}`);
    dir = mkdtempSync(join(tmpdir(), 'pl-icmp-'));
    chmodSync(dir, 0o755);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanup.push(() => {
      for (const ch of children) ch.kill('SIGKILL');
    });
  }, 180_000);

  afterAll(() => runCleanups(cleanup));

  it('ICMP dropped by nft at the target: 100 % loss and no reply, as ping in the same namespace sees', async () => {
    const [h, t] = await Promise.all([host('ic-drop-h'), host('ic-drop-t')]);
    await link(h, '198.19.34.2', t, '198.19.34.1');
    await dropped((checks) => audit(h, checks), h, t, '198.19.34.1');
  }, 90_000);

  it('a lossy link (nft drops a fifth at random): the loss plumbline measures is within the band ping shows beside it', async () => {
    const [h, t] = await Promise.all([host('ic-lossy-h'), host('ic-lossy-t')]);
    await link(h, '198.19.34.2', t, '198.19.34.1');
    await lossy((checks) => audit(h, checks), h, t, '198.19.34.1');
  }, 90_000);

  it('a link that holds each packet 25 ms each way: rtt p50 at least 50 ms and close to what ping measures', async () => {
    const [h, t] = await Promise.all([host('ic-slow-h'), host('ic-slow-t')]);
    await delayedLink(h, '198.19.35.1', t, '198.19.35.2', 25, children);
    await delayed((checks) => audit(h, checks), h, t, '198.19.35.2');
  }, 90_000);

  it('a router with MTU 1400 on its far link reports fragmentation needed: pathMtu 1400, as tracepath says', async () => {
    const { h } = await routed('ic-mtu', 1400);
    const trace = await ok(h, 'tracepath', ['-n', '-m', '4', T]);
    expect(trace).toMatch(/Resume: pmtu 1400 hops 2/);
    // tracepath left the path MTU in the kernel's cache: forget it, so plumbline's probe meets the router's message.
    await ok(h, 'ip', ['route', 'flush', 'cache']);
    const res = await audit(
      h,
      `  - { id: big, title: m, severity: high, mtu: { host: ${T} }, expect: { pathMtu: { gte: 1500 } } }\n` +
        `  - { id: fits, title: m, severity: high, mtu: { host: ${T} }, expect: { pathMtu: 1400 } }\n`,
    );
    expect(res.big).toMatchObject({ status: 'fail', message: 'path MTU is 1400, not >= 1500', reason: { code: 'below', actual: '1400' } });
    // The router's own words settle it: no tracepath is run beside them.
    expect(res.big!.actual).toBe(`reported: path MTU 1400 (fragmentation needed, from ${R_NEAR})`);
    expect(res.fits!.status).toBe('pass');
  }, 90_000);

  it('a smaller full-size probe that passes: the path MTU beyond it from tracepath, as tracepath itself says', async () => {
    const { h } = await routed('ic-pass');
    await smallerProbePasses((checks) => audit(h, checks), h, T);
  }, 90_000);

  it('the same path with the router dropping its fragmentation-needed messages (output hook): a blackhole, and tracepath gets no reply past it', async () => {
    const { h, r } = await routed('ic-hole', 1400);
    await r.exec('nft', ['-f', '-'], {
      input: BLACKHOLE_NFT,
    });
    const res = (await audit(h, `  - { id: m, title: m, severity: high, mtu: { host: ${T} }, expect: { pathMtu: { gte: 1500 } } }\n`)).m!;
    expect(res.status).toBe('fail');
    expect(res.reason).toMatchObject({ code: 'mtu-blackhole', packet: 1500, small: 84 });
    expect(res.message).toContain('blackhole');
    // Said from the two probes alone, without waiting on tracepath's silent hops.
    expect(res.actual).toBe('blackhole: 1500-byte packets vanish while 84-byte ones pass');
    // The kernel's tools, in the same namespace: a full-size don't-fragment ping vanishes, a small one passes,
    // and tracepath hears nothing beyond the router.
    expect(pingSays((await h.exec('ping', ['-n', '-M', 'do', '-c', '2', '-s', '1472', '-W', '1', T])).stdout)).toMatchObject({ loss: 100 });
    expect(pingSays((await h.exec('ping', ['-n', '-M', 'do', '-c', '2', '-s', '56', '-W', '1', T])).stdout)).toMatchObject({ loss: 0 });
    const trace = await ok(h, 'tracepath', ['-n', '-m', '3', T]);
    expect(trace).toMatch(/^\s*2:\s+no reply/m);
    expect(trace).not.toMatch(/reached/);
  }, 120_000);

  it('Destination Host Unreachable from the router, for an address nobody holds beyond it: named, as ping names it', async () => {
    const { h } = await routed('ic-hostun');
    await hostUnreachable((checks) => audit(h, checks), h, '198.19.33.9', R_NEAR);
  }, 90_000);

  it('no route to the host: Network is unreachable, nothing sent, and ping agrees', async () => {
    const h = await host('ic-noroute');
    await noRoute((checks) => audit(h, checks), h, '198.19.36.2');
  }, 60_000);

  it('a user whose bounding set lacks cap_net_raw: the kernel refuses to start ping, and the result is an error saying so', async () => {
    const h = await host('ic-nocap');
    await ok(h, 'sysctl', ['-qw', 'net.ipv4.ping_group_range=1 0']);
    const as = [...NOBODY, '--bounding-set=-net_raw'];
    const res = (await audit(h, '  - { id: p, title: p, severity: high, icmp: { host: 127.0.0.1 }, expect: { reachable: true } }\n', as)).p!;
    expect(res.status).toBe('error');
    expect(res.reason).toMatchObject({ code: 'icmp-cannot-send', why: 'exec-refused', netRawBounded: false, pingGroupRange: [1, 0], gids: [65534] });
    expect(res.message).toMatch(
      /^ICMP cannot be sent from this host: the kernel refused to start ping \(.*\): cap_net_raw, the file capability ping carries, is outside the capability bounding set$/,
    );
    const kernel = await h.exec(as[0]!, [...as.slice(1), '--', 'ping', '-n', '-c', '1', '-W', '1', '127.0.0.1']);
    expect(kernel.exitCode).not.toBe(0);
    expect(kernel.stderr).toContain('Operation not permitted');
  }, 60_000);

  it('a ping without cap_net_raw where net.ipv4.ping_group_range admits no group: an error naming both', async () => {
    const h = await host('ic-nosock');
    await ok(h, 'sysctl', ['-qw', 'net.ipv4.ping_group_range=1 0']);
    const ping = pingWithoutCapability(dir);
    const path = `${dirname(ping)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
    const res = (await audit(h, '  - { id: p, title: p, severity: high, icmp: { host: 127.0.0.1 }, expect: { reachable: true } }\n', NOBODY, path)).p!;
    expect(res).toMatchObject({ status: 'error', message: NO_SOCKET, reason: { code: 'icmp-cannot-send', why: 'no-socket', gids: [65534] } });
    const kernel = await h.exec(NOBODY[0]!, [...NOBODY.slice(1), '--', ping, '-n', '-c', '1', '-W', '1', '127.0.0.1']);
    expect(kernel.stderr).toContain('socket: Operation not permitted');
  }, 60_000);

  it('the neighbour table is read after the pings: a neighbour the policy pings is resolved by then, where none was before', async () => {
    const [h, r] = await Promise.all([host('ic-neigh-h'), host('ic-neigh-r')]);
    await link(h, H, r, R_NEAR);
    await neighbourAfterPings((checks) => audit(h, checks), h, R_NEAR);
  }, 60_000);
});

const sshWhy = sshFleetSkipReason();
if (sshWhy) console.log(`skipping icmp over SSH: ${sshWhy}`);

// The same verdicts with the audit run from this machine over SSH: the pings leave the SSH host (a namespace
// running sshd), so what is judged is that host's reach, not this machine's. The path cases share one SSH host,
// each with peers of its own on links of their own (198.19.37-45.x): T's counters and the host's own neighbour
// table show the pings left it. `icnoping` logs in as a non-root user and sees a ping without its capability.
(sshWhy ? describe.skip : describe)('icmp and mtu over SSH, from a namespace sshd host', () => {
  let fleet: SshFleet | undefined;
  let dir = '';
  const cleanup: Array<() => Promise<void> | void> = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr || build.stdout}`);
    dir = mkdtempSync(join(tmpdir(), 'pl-icmp-ssh-'));
    chmodSync(dir, 0o755);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const noPing: [string, string] = [pingWithoutCapability(dir), '/usr/bin/ping'];
    fleet = await startSshFleet({
      hosts: [
        { name: 'icrep' },
        { name: 'ichole' },
        { name: 'icpath' },
        { name: 'icnoping', fault: 'nonroot-nosudo', sysctls: { 'net.ipv4.ping_group_range': '1 0' }, binds: [noPing] },
      ],
    });
    cleanup.push(() => fleet?.destroy());
    cleanup.push(() => {
      for (const ch of children) ch.kill('SIGKILL');
    });
  }, 180_000);

  afterAll(() => runCleanups(cleanup));

  const remote = async (name: string, checks: string): Promise<Record<string, ReportResult>> => {
    const h = fleet!.host(name);
    const file = join(dir, `${name}-${randomBytes(4).toString('hex')}.yaml`);
    writeFileSync(file, `apiVersion: plumbline/v1\nkind: Policy\nmetadata: { name: icmp }\nchecks:\n${checks}`);
    const out = `${file}.json`;
    const r = await run(
      process.execPath,
      [CLI, 'audit', '-p', file, '--target', `ssh://${h.address}`, '--ssh-config', fleet!.sshConfig, '--format', `json=${out}`],
      {
        timeoutMs: 120_000,
      },
    );
    const fleetReport = JSON.parse(readFileSync(out, 'utf8')) as { hosts: Array<{ report?: Report; fault?: unknown }> };
    const rep = fleetReport.hosts[0]?.report;
    if (!rep) throw new Error(`no report over SSH (exit ${r.exitCode}): ${JSON.stringify(fleetReport.hosts[0]?.fault)} ${r.stderr}`);
    return byId(rep);
  };

  const POLICY =
    `  - { id: big, title: m, severity: high, mtu: { host: ${T} }, expect: { pathMtu: { gte: 1500 } } }\n` +
    `  - { id: reach, title: p, severity: high, icmp: { host: ${T} }, expect: { reachable: true } }\n` +
    '  - { id: dropped, title: p, severity: high, icmp: { host: 198.19.33.9 }, expect: { reachable: true } }\n';

  it('a router reporting MTU 1400 behind the SSH host: pathMtu 1400 from that router, as tracepath on that host says', async () => {
    const h = fleet!.host('icrep').test;
    await behind(h, 'icsr', AT, 1400, '198.19.33.0/24', cleanup);
    const res = await remote('icrep', POLICY);
    expect(res.big).toMatchObject({ status: 'fail', message: 'path MTU is 1400, not >= 1500' });
    expect(res.big!.actual).toMatch(new RegExp(`^reported: path MTU 1400 \\(fragmentation needed, from ${R_NEAR.replaceAll('.', '\\.')}\\)`));
    expect(res.reach!.status).toBe('pass');
    expect(res.dropped).toMatchObject({ status: 'fail', reason: { code: 'icmp-no-reply', unreachable: [{ kind: 'host', from: R_NEAR }] } });
    expect(await ok(h, 'tracepath', ['-n', '-m', '4', T])).toMatch(/pmtu 1400/);
    // This machine has no route to the target at all: the verdicts are the SSH host's.
    expect((await run('ip', ['route', 'get', T])).stdout).not.toMatch(new RegExp(`via ${R_NEAR.replaceAll('.', '\\.')}`));
  }, 150_000);

  it('the same path with the router dropping fragmentation-needed: a blackhole, seen from the SSH host', async () => {
    const h = fleet!.host('ichole').test;
    const { r } = await behind(h, 'icsh', AT, 1400, '198.19.33.0/24', cleanup);
    await r.exec('nft', ['-f', '-'], { input: BLACKHOLE_NFT });
    const res = await remote('ichole', POLICY);
    expect(res.big).toMatchObject({ status: 'fail', reason: { code: 'mtu-blackhole', packet: 1500, small: 84 } });
    expect(res.big!.message).toContain('blackhole');
    expect(pingSays((await h.exec('ping', ['-n', '-M', 'do', '-c', '2', '-s', '1472', '-W', '1', T])).stdout)).toMatchObject({ loss: 100 });
    expect(pingSays((await h.exec('ping', ['-n', '-M', 'do', '-c', '2', '-s', '56', '-W', '1', T])).stdout)).toMatchObject({ loss: 0 });
  }, 150_000);

  /** The path cases' SSH host, and a peer namespace of the case's own linked to it. */
  const pathHost = (): TestHost => fleet!.host('icpath').test;
  const peer = async (name: string, hAddr: string, tAddr: string): Promise<TestHost> => {
    const t = await TestHost.create({ name });
    cleanup.push(() => t.destroy());
    await link(pathHost(), hAddr, t, tAddr);
    return t;
  };
  const overSsh: Audit = (checks) => remote('icpath', checks);

  it('ICMP dropped by nft at a neighbour of the SSH host: 100 % loss, as ping on that host sees; the five requests came over its link', async () => {
    const t = await peer('icsd-t', '198.19.37.2', '198.19.37.1');
    await dropped(overSsh, pathHost(), t, '198.19.37.1');
  }, 90_000);

  it('a lossy link beyond the SSH host: its loss within the band ping on that host shows; all 200 requests came over its link', async () => {
    const t = await peer('icsl-t', '198.19.38.2', '198.19.38.1');
    await lossy(overSsh, pathHost(), t, '198.19.38.1');
  }, 90_000);

  it('a link from the SSH host holding each packet 25 ms each way: rtt p50 at least 50 ms, close to ping on that host', async () => {
    const t = await TestHost.create({ name: 'icsw-t' });
    cleanup.push(() => t.destroy());
    await delayedLink(pathHost(), '198.19.39.1', t, '198.19.39.2', 25, children);
    await delayed(overSsh, pathHost(), t, '198.19.39.2');
  }, 90_000);

  it('Destination Host Unreachable from a router behind the SSH host: named from that router, as ping on that host names it', async () => {
    await behind(pathHost(), 'icsu', { h: '198.19.42.2', rNear: '198.19.42.1', rFar: '198.19.43.1', t: '198.19.43.2' }, 1500, '198.19.43.0/24', cleanup);
    await hostUnreachable(overSsh, pathHost(), '198.19.43.9', '198.19.42.1');
  }, 90_000);

  it('a smaller full-size probe through a router behind the SSH host that passes: the path MTU beyond it from tracepath, as tracepath on that host says', async () => {
    await behind(pathHost(), 'icsp', { h: '198.19.44.2', rNear: '198.19.44.1', rFar: '198.19.45.1', t: '198.19.45.2' }, 1500, '198.19.45.0/24', cleanup);
    await smallerProbePasses(overSsh, pathHost(), '198.19.45.2');
    // This machine has no route to that target through the router: the tracepath in the verdict ran on the SSH host.
    expect((await run('ip', ['route', 'get', '198.19.45.2'])).stdout).not.toContain('via 198.19.44.1');
  }, 90_000);

  it('no route on the SSH host (this machine has one, through that host): Network is unreachable, as ping on that host says', async () => {
    const h = fleet!.host('icpath');
    const to = '198.19.41.2';
    // The SSH host's default route leads back to this machine: without it, 198.19.41.0/24 is unroutable there.
    await run('ip', ['-n', h.test.ns, 'route', 'del', 'default']);
    await run('ip', ['route', 'add', '198.19.41.0/24', 'via', h.address]);
    try {
      expect((await run('ip', ['route', 'get', to])).stdout).toContain(`via ${h.address}`);
      await noRoute(overSsh, h.test, to);
    } finally {
      await run('ip', ['route', 'del', '198.19.41.0/24', 'via', h.address]);
    }
  }, 60_000);

  it("the SSH host's neighbour table is read after the pings: a neighbour it had not spoken to is resolved there (this machine has no entry)", async () => {
    await peer('icsn-n', '198.19.40.2', '198.19.40.1');
    await neighbourAfterPings(overSsh, pathHost(), '198.19.40.1');
    expect(JSON.parse((await run('ip', ['-j', 'neigh', 'show', '198.19.40.1'])).stdout || '[]')).toEqual([]);
  }, 60_000);

  it("a non-root login whose ping lacks cap_net_raw, where the ping group range admits none: an error naming both, as that login's ping says", async () => {
    const h = fleet!.host('icnoping');
    expect(h.user).toBe(NONROOT_USER);
    const res = (await remote('icnoping', '  - { id: p, title: p, severity: high, icmp: { host: 127.0.0.1 }, expect: { reachable: true } }\n')).p!;
    expect(res).toMatchObject({ status: 'error', message: NO_SOCKET, reason: { code: 'icmp-cannot-send', why: 'no-socket' } });
    // The login's groups, as that login itself lists them.
    const ids = await run('ssh', fleet!.sshArgs(h, ['id', '-G']));
    const gids = ids.stdout.trim().split(/\s+/).map(Number);
    expect([...(res.reason as { gids: number[] }).gids].sort()).toEqual([...gids].sort());
    expect(gids).not.toContain(0);
    // The login's own ping is refused the same way, and the ping it sees carries no file capability.
    const kernel = await run('ssh', fleet!.sshArgs(h, ['ping', '-n', '-c', '1', '-W', '1', '127.0.0.1']));
    expect(kernel.stderr).toContain('socket: Operation not permitted');
    const caps = await run('ssh', fleet!.sshArgs(h, ['/usr/sbin/getcap', '/usr/bin/ping']));
    expect(caps).toMatchObject({ exitCode: 0, stdout: '' });
    // This machine's ping, which audited nothing, has it.
    expect((await run('/usr/sbin/getcap', ['/usr/bin/ping'])).stdout).toContain('cap_net_raw');
  }, 60_000);
});
