// `plumbline diagnose` held to the kernel. Two network namespaces joined by a veth pair of their own (nothing of
// it is visible in the root namespace, so no subnet can clash with another run): a client C (198.19.B.1/24) and a
// server S (198.19.B.2/24, and 198.19.B+1.1 behind it, which C reaches through S as its gateway). The built CLI runs
// inside C (and inside S for a target that is the host itself), and each layer it names is compared with what the
// kernel says in the same namespace: `ip route get`, `ip neigh`, a real connect. Addresses: 198.19.48.0/20 only.
import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestHost, netnsSkipReason, run, withBindMounts } from './harness/netns.js';
import type { RoutedAddresses } from './harness/routed.js';
import { BLACKHOLE_NFT, behind, link, ok, pingSays, pingWithoutCapability } from './harness/routed.js';
import type { SshFleet } from './harness/ssh-hosts.js';
import { NONROOT_USER, sshFleetSkipReason, startSshFleet } from './harness/ssh-hosts.js';
import { PROBE_SERVERS_PY, dnsmasqArgv, startInNs } from './harness/probe-servers.js';
import { runCleanups, which } from './harness/audit.js';
import type { Diagnosis, LayerName } from '../../src/diagnose/model.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/plumbline.js');
const hasDnsmasq = ((): boolean => {
  try {
    return which('dnsmasq') !== '';
  } catch {
    return false;
  }
})();
const why = netnsSkipReason() ?? (hasDnsmasq ? null : 'dnsmasq is not installed');
if (why) console.log(`skipping diagnose integration tests: ${why}`);

// One /24 per run inside 198.19.48.0/20, and the next two for the network behind S and a dead gateway's.
const B = 48 + (process.pid % 4) * 4;
const NET = `198.19.${B}`;
const BEHIND = `198.19.${B + 1}.1`;
const DEAD_NET = `198.19.${B + 2}`;
const NOROUTE = `198.19.${B + 3}.7`;
const C_ADDR = `${NET}.1`;
const S_ADDR = `${NET}.2`;
const DEAD_GW = `${NET}.9`;

/** A real connect from inside `host`: open, refused (ECONNREFUSED) or timeout. */
const CONNECT = `const s=require('node:net').connect({host:process.argv[1],port:+process.argv[2]});const t=setTimeout(()=>{console.log('timeout');process.exit(0)},+process.argv[3]);s.on('connect',()=>{console.log('open');process.exit(0)});s.on('error',(e)=>{console.log(e.code);process.exit(0)});`;
const connectIn = async (host: TestHost, address: string, port: number, ms = 2_000) =>
  (await host.exec(process.execPath, ['-e', CONNECT, address, String(port), String(ms)], { timeoutMs: ms + 5_000 })).stdout.trim();

/** The first bytes a plain-HTTP request to address:port gets back, asked from inside `host`. */
const plainAnswer = async (host: TestHost, address: string, port: number) =>
  (
    await host.exec('python3', [
      '-c',
      `import socket;s=socket.create_connection(('${address}',${port}),5);s.sendall(b'GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n');print(s.recv(12).decode())`,
    ])
  ).stdout.trim();

/** ping's own statistics, run in `host`. */
const ping = async (host: TestHost, args: string[]) => pingSays((await host.exec('ping', ['-n', '-i', '0.2', '-W', '1', ...args])).stdout);

/** Runs diagnose on a target (with the TCP timeout given), wherever the case runs it: inside a namespace, or over SSH. */
type Diagnose = (target: string, timeout?: string) => Promise<{ d: Diagnosis; exitCode: number; ms: number }>;
const layerOf = (d: Diagnosis, n: LayerName) => d.layers.find((l) => l.name === n)!;

/** r drops every other echo request to its near address: a loss warning on the first hop, as ping on h sees it. */
async function lossyFirstHop(diagnose: Diagnose, h: TestHost, r: TestHost, at: RoutedAddresses): Promise<Diagnosis> {
  await r.exec('nft', ['-f', '-'], {
    input: `table inet f {\n chain in {\n  type filter hook input priority 0;\n  ip daddr ${at.rNear} icmp type echo-request numgen inc mod 2 == 0 drop\n }\n}\n`,
  });
  const { d, exitCode } = await diagnose(`${at.t}:8080`);
  expect(exitCode).toBe(0);
  // Three requests, the first and the third dropped.
  expect(layerOf(d, 'icmp-gateway')).toMatchObject({ state: 'warn', symptom: { code: 'icmp-loss', host: at.rNear } });
  expect((layerOf(d, 'icmp-gateway').symptom as { lossPercent: number }).lossPercent).toBeCloseTo(66.67, 1);
  expect(layerOf(d, 'icmp-target').state).toBe('pass');
  expect(await ping(h, ['-c', '4', at.rNear])).toMatchObject({ loss: 50 });
  return d;
}

/** t drops everything: diagnose with the default 5 s timeout ends within `boundMs`, stopped at ICMP to t; ping on h agrees. */
async function deadTarget(diagnose: Diagnose, h: TestHost, t: TestHost, at: RoutedAddresses, boundMs: number): Promise<Diagnosis> {
  await t.exec('nft', ['-f', '-'], { input: 'table inet f {\n chain in {\n  type filter hook input priority 0; policy drop;\n }\n}\n' });
  const { d, exitCode, ms } = await diagnose(`${at.t}:8080`, '5s');
  console.log(`diagnose of a dead target took ${Math.round(ms)} ms as a whole process (${d.elapsedMs} ms inside)`);
  expect(exitCode).toBe(1);
  expect(d.stoppedAt).toBe('icmp-target');
  expect(layerOf(d, 'icmp-target').symptom).toMatchObject({ code: 'icmp-no-reply', host: at.t });
  expect(layerOf(d, 'tcp').result?.reason).toMatchObject({ code: 'connect-verdict', verdict: 'filtered' });
  expect(ms).toBeLessThan(boundMs);
  expect(await ping(h, ['-c', '2', at.t])).toMatchObject({ loss: 100 });
  return d;
}

/** Each ICMP layer a warning saying why ping cannot send (its result an error); the rest judged, and passing. */
function pingCannotSendJudged(d: Diagnosis, why: string, icmp: LayerName[]): void {
  for (const n of icmp) expect(layerOf(d, n)).toMatchObject({ state: 'warn', symptom: { code: 'icmp-cannot-send', why }, result: { status: 'error' } });
  const rest: LayerName[] = ['link', 'neighbour', 'route', 'tcp', 'http'];
  expect(d.layers.filter((l) => rest.includes(l.name)).map((l) => l.state)).toEqual(rest.map(() => 'pass'));
}

/**
 * 25 connects held from h toward `to`:9443 (which drops them) pile up in SYN_SENT on h: a health warning counting
 * them, as ss on h counts them; toward `to`:443 (plain HTTP) nothing piles.
 */
async function synSentPiling(diagnose: Diagnose, h: TestHost, to: string, children: ChildProcess[]): Promise<void> {
  const HOLD = `import socket,sys,time
keep=[]
for _ in range(25):
    s=socket.socket(); s.setblocking(False)
    try: s.connect((sys.argv[1],9443))
    except BlockingIOError: pass
    keep.append(s)
print('READY',flush=True)
time.sleep(120)`;
  const holder = await startInNs(h.ns, ['python3', '-c', HOLD, to], /READY/, children);
  try {
    const ss = (await ok(h, 'ss', ['-Htn', 'state', 'syn-sent', 'dst', `${to}:9443`])).trim().split('\n').length;
    expect(ss).toBeGreaterThanOrEqual(25);
    const { d } = await diagnose(`${to}:9443`, '1500ms');
    expect(d.stoppedAt).toBe('tcp');
    const pile = d.health?.symptoms.find((x) => x.code === 'syn-sent-piling') as { count: number; of: unknown } | undefined;
    expect(pile?.of).toEqual({ address: to, port: 9443 });
    // The 25 held, and the probe's own connect while it waited where the probe leaves from h.
    expect(pile!.count).toBeGreaterThanOrEqual(25);
    expect(pile!.count).toBeLessThanOrEqual(ss + 3);
    // Toward another port of the same host, nothing piles.
    const other = await diagnose(`${to}:443`);
    expect(other.d.health).toMatchObject({ state: 'pass', symptoms: [] });
    expect(other.d.health?.result.actual).toBe(`SYN_SENT 0 toward ${to}:443, CLOSE_WAIT 0 toward ${to}:443`);
  } finally {
    holder.kill('SIGKILL');
  }
}

/**
 * A port h's service holds on 127.0.0.1 only, diagnosed on h's own address: refused, the hint naming where the port
 * is bound on h, as `ss -Htln` on h says.
 */
async function refusedOnItself(diagnose: Diagnose, h: TestHost, own: string, port: number): Promise<Diagnosis> {
  expect(await connectIn(h, own, port)).toBe('ECONNREFUSED');
  expect(await connectIn(h, '127.0.0.1', port)).toBe('open');
  const listening = await ok(h, 'ss', ['-Htln', 'sport', `= :${port}`]);
  const bound = listening
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.trim().split(/\s+/)[3]);
  expect(bound).toEqual([`127.0.0.1:${port}`]);
  const { d, exitCode } = await diagnose(`${own}:${port}`);
  expect(exitCode).toBe(1);
  expect(d.path).toEqual({ device: 'lo', local: true });
  expect(d.stoppedAt).toBe('tcp');
  expect(layerOf(d, 'tcp').symptom).toMatchObject({ code: 'refused', address: own, port, boundTo: bound });
  return d;
}

/**
 * A service on h at `address`:7070 that never closes what its clients closed, and 120 clients from `client` that
 * close: diagnosed on h, CLOSE_WAIT counted on h's port as ss on h counts them (the probe's own connect may add one).
 */
async function closeWaitPiling(diagnose: Diagnose, h: TestHost, address: string, client: TestHost, children: ChildProcess[]): Promise<Diagnosis> {
  const SERVE = `import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1); s.bind((sys.argv[1],7070)); s.listen(512)
print('READY',flush=True)
keep=[]
while True:
    c,_=s.accept(); keep.append(c)`;
  const server = await startInNs(h.ns, ['python3', '-c', SERVE, address], /READY/, children);
  try {
    await ok(client, 'python3', ['-c', `import socket\nfor _ in range(120):\n  socket.create_connection(('${address}',7070),2).close()`]);
    // The clients' FINs arrive: wait, event by event, for the server's sockets to be in CLOSE_WAIT.
    const ssCount = async () => (await ok(h, 'ss', ['-Htn', 'state', 'close-wait', 'sport', '= :7070'])).trim().split('\n').filter(Boolean).length;
    const until = Date.now() + 5_000;
    while ((await ssCount()) < 120 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(await ssCount()).toBe(120);
    const { d, exitCode } = await diagnose(`${address}:7070`);
    expect(exitCode).toBe(0);
    expect(d.path).toEqual({ device: 'lo', local: true });
    expect(d.health?.state).toBe('warn');
    expect(d.health?.symptoms).toMatchObject([{ code: 'close-wait-piling', limit: 100, of: { port: 7070 } }]);
    const { count } = d.health!.symptoms[0] as { count: number };
    expect(count).toBeGreaterThanOrEqual(120);
    expect(count).toBeLessThanOrEqual(await ssCount());
    return d;
  } finally {
    server.kill('SIGKILL');
  }
}

(why ? describe.skip : describe)('diagnose: the layers bottom-up against the kernel (two network namespaces)', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  const children: ChildProcess[] = [];
  let c: TestHost;
  let s: TestHost;
  let dir = '';

  const diagnoseIn = async (host: TestHost, args: string[], as: string[] = []) => {
    const started = performance.now();
    const argv = [process.execPath, CLI, 'diagnose', ...args, '--format', 'json'];
    const [cmd, ...rest] = [...as, ...(as.length ? ['--'] : []), ...argv] as [string, ...string[]];
    const r = await host.exec(cmd, rest, { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 60_000 });
    const ms = performance.now() - started;
    if (r.exitCode > 1) throw new Error(`diagnose ${args.join(' ')} exited ${r.exitCode}: ${r.stderr}`);
    return { d: JSON.parse(r.stdout) as Diagnosis, exitCode: r.exitCode, ms };
  };
  const diagnoserIn =
    (host: TestHost): Diagnose =>
    (target, timeout) =>
      diagnoseIn(host, [target, ...(timeout ? ['--timeout', timeout] : [])]);
  const states = (d: Diagnosis): Partial<Record<LayerName, string>> =>
    Object.fromEntries(d.layers.filter((l) => l.state !== 'absent').map((l) => [l.name, l.state]));
  const layer = (d: Diagnosis, n: LayerName) => d.layers.find((l) => l.name === n)!;

  /** What the kernel in `host` says of the route to `address`: `ip -j route get`. */
  const routeGet = async (host: TestHost, address: string) => {
    const r = await host.exec('ip', ['-j', 'route', 'get', address]);
    return r.exitCode === 0
      ? { ...(JSON.parse(r.stdout) as Array<{ dev?: string; gateway?: string }>)[0]!, error: '' }
      : { error: r.stderr.trim(), dev: undefined, gateway: undefined };
  };

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr || build.stdout}`);
    dir = mkdtempSync(join(tmpdir(), 'pl-diag-'));
    chmodSync(dir, 0o755);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'servers.py'), PROBE_SERVERS_PY);
    writeFileSync(join(dir, 'resolv.conf'), `nameserver ${S_ADDR}\noptions timeout:1 attempts:1\n`);
    s = await TestHost.create({
      name: 'dg-s',
      // The filtered port: S drops what comes to 9443, as a firewall does.
      nft: 'table inet diag {\n  chain input {\n    type filter hook input priority 0; policy accept;\n    tcp dport 9443 drop\n  }\n}\n',
      listeners: [{ address: '127.0.0.1', port: 5432, name: 'pgsql' }],
    });
    cleanup.push(() => s.destroy());
    c = await TestHost.create({ name: 'dg-c' });
    cleanup.push(() => c.destroy());
    cleanup.push(() => {
      for (const ch of children) ch.kill('SIGKILL');
    });
    const tag = `${process.pid % 100000}`;
    const [cEnd, sEnd] = [`dgc${tag}`, `dgs${tag}`];
    const steps: string[][] = [
      ['link', 'add', cEnd, 'netns', c.ns, 'type', 'veth', 'peer', 'name', sEnd, 'netns', s.ns],
      ['-n', c.ns, 'addr', 'add', `${C_ADDR}/24`, 'dev', cEnd],
      ['-n', c.ns, 'link', 'set', cEnd, 'up'],
      ['-n', s.ns, 'addr', 'add', `${S_ADDR}/24`, 'dev', sEnd],
      ['-n', s.ns, 'addr', 'add', `${BEHIND}/32`, 'dev', sEnd],
      ['-n', s.ns, 'link', 'set', sEnd, 'up'],
      // C reaches the network behind S through S, and a third network through a gateway nobody holds.
      ['-n', c.ns, 'route', 'add', `198.19.${B + 1}.0/24`, 'via', S_ADDR],
      ['-n', c.ns, 'route', 'add', `${DEAD_NET}.0/24`, 'via', DEAD_GW],
    ];
    for (const a of steps) {
      const r = await run('ip', a);
      if (r.exitCode !== 0) throw new Error(`ip ${a.join(' ')}: ${r.stderr}`);
    }
    await startInNs(s.ns, ['python3', join(dir, 'servers.py'), 'http', BEHIND, '8080'], /READY/, children);
    // Plain HTTP on the TLS port.
    await startInNs(s.ns, ['python3', join(dir, 'servers.py'), 'http', S_ADDR, '443'], /READY/, children);
    await startInNs(s.ns, [...dnsmasqArgv(dir, S_ADDR, [`--address=/app.diag.test/${BEHIND}`]), '--log-facility=-'], null, children);
    // dnsmasq says nothing when it is ready: wait for its port, event by event.
    const until = Date.now() + 10_000;
    while ((await s.exec('ss', ['-Hlun', `sport = :53`])).stdout.trim() === '') {
      if (Date.now() > until) throw new Error('dnsmasq did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 240_000);

  afterAll(() => runCleanups(cleanup), 60_000);

  it('a healthy target through its gateway: every layer passes, exit 0, in under a second plus the round trips', async () => {
    const kernel = await routeGet(c, BEHIND);
    expect(kernel).toMatchObject({ dev: expect.stringMatching(/^dgc/), gateway: S_ADDR });
    expect(await connectIn(c, BEHIND, 8080)).toBe('open');
    const { d, exitCode, ms } = await diagnoseIn(c, [`${BEHIND}:8080`]);
    expect(exitCode).toBe(0);
    expect(states(d)).toEqual({
      link: 'pass',
      neighbour: 'pass',
      route: 'pass',
      'icmp-gateway': 'pass',
      'icmp-target': 'pass',
      'path-mtu': 'pass',
      dns: 'skip',
      tcp: 'pass',
      http: 'pass',
    });
    expect(d.path).toMatchObject({ device: kernel.dev, gateway: S_ADDR, local: false });
    expect(layer(d, 'neighbour').result?.actual).toMatch(
      new RegExp(`^${S_ADDR.replaceAll('.', '\\.')} dev dgc\\d+ lladdr [0-9a-f:]{17} (REACHABLE|STALE|DELAY|PROBE)$`),
    );
    // The whole CLI process, Node's start, the ip runs and the pings' 0.4 s of spacing included; the round trips
    // here are sub-millisecond.
    console.log(`diagnose of a healthy target took ${Math.round(ms)} ms as a whole process (${d.elapsedMs} ms inside)`);
    expect(d.elapsedMs!).toBeLessThan(1_000);
    expect(ms).toBeLessThan(1_500);
    // The pings were this host's own: ping here agrees the gateway and the target answer.
    expect(pingSays((await c.exec('ping', ['-n', '-c', '3', '-i', '0.2', '-W', '1', S_ADDR])).stdout).loss).toBe(0);
    expect(pingSays((await c.exec('ping', ['-n', '-c', '3', '-i', '0.2', '-W', '1', BEHIND])).stdout).loss).toBe(0);
    expect(layer(d, 'path-mtu').result?.actual).toBe('passes: a 1500-byte packet arrives unfragmented (path MTU at least 1500)');
  }, 60_000);

  it('no route: the way stops at the route, as `ip route get` says, and TCP is not reached', async () => {
    expect(await routeGet(c, NOROUTE)).toMatchObject({ error: expect.stringMatching(/Network is unreachable/) });
    const { d, exitCode } = await diagnoseIn(c, [`${NOROUTE}:22`]);
    expect(exitCode).toBe(1);
    expect(d.stoppedAt).toBe('route');
    expect(layer(d, 'route').symptom).toMatchObject({ code: 'no-route', address: NOROUTE, refused: false });
    expect(states(d)).toMatchObject({ link: 'skip', neighbour: 'skip', route: 'fail', tcp: 'not-reached' });
  }, 60_000);

  it('a gateway nobody answers: the neighbour entry FAILED (ip neigh agrees) stops the way', async () => {
    const { d, exitCode } = await diagnoseIn(c, [`${DEAD_NET}.5:80`]);
    const kernel = JSON.parse((await c.exec('ip', ['-j', 'neigh', 'show', DEAD_GW])).stdout) as Array<{ state: string[] }>;
    expect(kernel[0]?.state.some((x) => x === 'FAILED' || x === 'INCOMPLETE')).toBe(true);
    expect(exitCode).toBe(1);
    expect(d.stoppedAt).toBe('neighbour');
    expect(layer(d, 'neighbour').symptom).toMatchObject({ code: 'neighbour-failed', address: DEAD_GW, gateway: true });
    expect(states(d)).toMatchObject({ link: 'pass', neighbour: 'fail', route: 'not-reached', tcp: 'not-reached', http: 'not-reached' });
  }, 60_000);

  it('a refused port on the host itself: the hint names where the port is bound (127.0.0.1), as ss on the host says', async () => {
    await refusedOnItself(diagnoserIn(s), s, S_ADDR, 5432);
  }, 60_000);

  it('a refused port seen from another host: refused, and the question whether it is bound to 127.0.0.1', async () => {
    expect(await connectIn(c, S_ADDR, 5432)).toBe('ECONNREFUSED');
    const { d, exitCode } = await diagnoseIn(c, [`${S_ADDR}:5432`]);
    expect(exitCode).toBe(1);
    expect(layer(d, 'tcp').symptom).toMatchObject({ code: 'refused', address: S_ADDR, port: 5432 });
    expect(states(d)).toMatchObject({ link: 'pass', neighbour: 'pass', route: 'pass', tcp: 'fail' });
  }, 60_000);

  it('a filtered port (nft drop): timeout, and the layers below pass', async () => {
    expect(await connectIn(c, S_ADDR, 9443, 1_500)).toBe('timeout');
    const { d, exitCode } = await diagnoseIn(c, [`${S_ADDR}:9443`, '--timeout', '1500ms']);
    expect(exitCode).toBe(1);
    expect(d.stoppedAt).toBe('tcp');
    expect(layer(d, 'tcp').symptom).toMatchObject({ code: 'timeout', address: S_ADDR, port: 9443 });
    expect(states(d)).toMatchObject({ link: 'pass', neighbour: 'pass', route: 'pass', tcp: 'fail' });
  }, 60_000);

  it('a TLS port that speaks plain HTTP: TCP passes, TLS stops the way and says the port answered in HTTP', async () => {
    expect(await plainAnswer(c, S_ADDR, 443)).toBe('HTTP/1.1 200');
    const { d, exitCode } = await diagnoseIn(c, [`${S_ADDR}:443`]);
    expect(exitCode).toBe(1);
    expect(d).toMatchObject({ stoppedAt: 'tls', verdict: 'answers-wrongly' });
    expect(layer(d, 'tls').symptom).toMatchObject({ code: 'tls-not-tls', port: 443 });
    expect(layer(d, 'tls').result?.message).toMatch(/answered in (HTTP|plain text)/);
    expect(states(d)).toMatchObject({ tcp: 'pass', tls: 'fail', http: 'not-reached' });
  }, 60_000);

  it('a name, resolved by a real dnsmasq: DNS passes and the lower layers follow its address; an IP target skips DNS', async () => {
    const [cmd, args] = withBindMounts(
      [[join(dir, 'resolv.conf'), '/etc/resolv.conf']],
      [process.execPath, CLI, 'diagnose', 'http://app.diag.test:8080/', '--format', 'json'],
    );
    const r = await c.exec(cmd, args, { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 60_000 });
    const d = JSON.parse(r.stdout) as Diagnosis;
    expect(r.exitCode, r.stderr).toBe(0);
    expect(d.address).toBe(BEHIND);
    expect(states(d)).toMatchObject({ route: 'pass', neighbour: 'pass', dns: 'pass', tcp: 'pass', http: 'pass' });
    expect(layer(d, 'dns').from).toBe('auditing-machine');
    const ip = await diagnoseIn(c, [`http://${BEHIND}:8080/`]);
    expect(layer(ip.d, 'dns').state).toBe('skip');
    expect(layer(ip.d, 'dns').result).toBeUndefined();
  }, 60_000);

  it('SYN_SENT piling up toward the target (real connects to a port S filters): a health warning counting those, as ss counts them', async () => {
    await synSentPiling(diagnoserIn(c), c, S_ADDR, children);
  }, 60_000);

  it('CLOSE_WAIT piling up in the local service (it never closes what its clients closed): counted on its port when diagnosed on its host, as ss counts them', async () => {
    await closeWaitPiling(diagnoserIn(s), s, S_ADDR, c, children);
    // Seen from the client's host, the server's CLOSE_WAIT is not the client's: nothing piles there.
    const fromC = await diagnoseIn(c, [`${S_ADDR}:7070`]);
    expect(fromC.d.health?.symptoms).toEqual([]);
  }, 60_000);

  it('bad input is exit 2 with a message, never a stack trace', async () => {
    for (const args of [['app.test:99999'], [], ['a', 'b'], ['x:80', '--format', 'html']]) {
      const r = await c.exec(process.execPath, [CLI, 'diagnose', ...args]);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^plumbline: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  }, 60_000);
});

// The ICMP and path-MTU layers, each case on a fresh path H -- R -- T (the kernel caches a path MTU per
// destination, and a router its neighbour failures), with an HTTP server on T: the built CLI inside H, and ping,
// tracepath, ip neigh and ip route get beside it in the same namespace.
const AT: RoutedAddresses = { h: '198.19.62.2', rNear: '198.19.62.1', rFar: '198.19.63.1', t: '198.19.63.2' };
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

(why ? describe.skip : describe)('diagnose: ICMP and the path MTU, behind a router (network namespaces)', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  const children: ChildProcess[] = [];
  let dir = '';

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr || build.stdout}`);
    dir = mkdtempSync(join(tmpdir(), 'pl-diag-icmp-'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'servers.py'), PROBE_SERVERS_PY);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanup.push(() => {
      for (const ch of children) ch.kill('SIGKILL');
    });
  }, 240_000);

  afterAll(() => runCleanups(cleanup), 60_000);

  /** H -- R -- T (the far link's MTU as given), an HTTP server on T:8080. */
  const routed = async (name: string, farMtu = 1500) => {
    const h = await TestHost.create({ name: `${name}-h` });
    cleanup.push(() => h.destroy());
    const path = await behind(h, name, AT, farMtu, 'default', cleanup);
    await startInNs(path.t.ns, ['python3', join(dir, 'servers.py'), 'http', AT.t, '8080'], /READY/, children);
    return { h, ...path };
  };

  const diagnose = async (h: TestHost, target: string, as: string[] = [], timeout = '2s') => {
    const started = performance.now();
    const argv = [process.execPath, CLI, 'diagnose', target, '--format', 'json', '--timeout', timeout];
    const [cmd, ...rest] = [...as, ...(as.length ? ['--'] : []), ...argv] as [string, ...string[]];
    const r = await h.exec(cmd, rest, { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 60_000 });
    if (r.exitCode > 1) throw new Error(`diagnose ${target} exited ${r.exitCode}: ${r.stderr}`);
    return { d: JSON.parse(r.stdout) as Diagnosis, exitCode: r.exitCode, ms: performance.now() - started };
  };

  it('ICMP dropped by nft at the target while TCP gets through: warnings, exit 0; ping agrees (100 % loss)', async () => {
    const { h, t } = await routed('dgi-drop');
    await t.exec('nft', ['-f', '-'], { input: 'table inet f {\n chain in {\n  type filter hook input priority 0;\n  icmp type echo-request drop\n }\n}\n' });
    const { d, exitCode } = await diagnose(h, `${AT.t}:8080`);
    expect(exitCode).toBe(0);
    expect(d.verdict).toBe('answers');
    expect(layerOf(d, 'icmp-gateway').state).toBe('pass');
    expect(layerOf(d, 'icmp-target')).toMatchObject({ state: 'warn', symptom: { code: 'icmp-no-reply', host: AT.t } });
    expect(layerOf(d, 'path-mtu')).toMatchObject({ state: 'warn', symptom: { code: 'path-mtu-unjudged', host: AT.t } });
    expect(layerOf(d, 'http').state).toBe('pass');
    expect(await ping(h, ['-c', '3', AT.t])).toMatchObject({ loss: 100, received: 0 });
    expect(await ping(h, ['-c', '3', AT.rNear])).toMatchObject({ loss: 0 });
  }, 90_000);

  it("a router reporting fragmentation needed (MTU 1400 beyond it): a warning naming the path MTU below the interface's, exit 0; tracepath agrees", async () => {
    const { h } = await routed('dgi-mtu', 1400);
    const { d, exitCode } = await diagnose(h, `${AT.t}:8080`);
    expect(exitCode).toBe(0);
    expect(layerOf(d, 'path-mtu')).toMatchObject({
      state: 'warn',
      symptom: { code: 'path-mtu-below', pathMtu: 1400, linkMtu: 1500, from: AT.rNear },
      result: { reason: { code: 'mtu-reported', mtu: 1400, packet: 1500 } },
    });
    // No tracepath for diagnose: the verdict came from the two don't-fragment pings alone.
    expect(layerOf(d, 'path-mtu').result?.actual).not.toContain('tracepath');
    // The kernel's tools in H: the egress interface is 1500 (ip route get names it), and tracepath finds 1400.
    const dev = (JSON.parse(await ok(h, 'ip', ['-j', 'route', 'get', AT.t])) as Array<{ dev: string }>)[0]!.dev;
    expect(d.path?.device).toBe(dev);
    expect(await ok(h, 'cat', [`/sys/class/net/${dev}/mtu`])).toBe('1500\n');
    await ok(h, 'ip', ['route', 'flush', 'cache']);
    expect(await ok(h, 'tracepath', ['-n', '-m', '4', AT.t])).toMatch(/Resume: pmtu 1400 hops 2/);
  }, 90_000);

  it('the same path with the fragmentation-needed messages dropped: a warning naming the blackhole, exit 0 while HTTP answers; ping and tracepath agree', async () => {
    const { h, r } = await routed('dgi-hole', 1400);
    await r.exec('nft', ['-f', '-'], { input: BLACKHOLE_NFT });
    const { d, exitCode, ms } = await diagnose(h, `${AT.t}:8080`);
    expect(exitCode).toBe(0);
    expect(layerOf(d, 'path-mtu')).toMatchObject({ state: 'warn', symptom: { code: 'path-mtu-blackhole', size: 1500 } });
    expect(layerOf(d, 'http').state).toBe('pass');
    // Two pings' wait, not tracepath's seconds per silent hop.
    console.log(`diagnose over a path MTU blackhole took ${Math.round(ms)} ms (${d.elapsedMs} ms inside)`);
    expect(d.elapsedMs!).toBeLessThan(6_000);
    expect(await ping(h, ['-M', 'do', '-c', '2', '-s', '1472', AT.t])).toMatchObject({ loss: 100 });
    expect(await ping(h, ['-M', 'do', '-c', '2', '-s', '56', AT.t])).toMatchObject({ loss: 0 });
    const trace = await ok(h, 'tracepath', ['-n', '-m', '3', AT.t]);
    expect(trace).toMatch(/^\s*2:\s+no reply/m);
  }, 120_000);

  it('a lossy first hop (nft numgen drops every other echo request to the router): a loss warning, as ping sees', async () => {
    const { h, r } = await routed('dgi-loss');
    await lossyFirstHop((target, timeout) => diagnose(h, target, [], timeout), h, r, AT);
  }, 90_000);

  it('a host where ping cannot send (no cap_net_raw, no ping group): the ICMP layers say why, as errors; the rest is judged', async () => {
    const { h } = await routed('dgi-nocap');
    await ok(h, 'sysctl', ['-qw', 'net.ipv4.ping_group_range=1 0']);
    const as = [...NOBODY, '--bounding-set=-net_raw'];
    const { d, exitCode } = await diagnose(h, `${AT.t}:8080`, as);
    expect(exitCode).toBe(0);
    pingCannotSendJudged(d, 'exec-refused', ['icmp-gateway', 'icmp-target', 'path-mtu']);
    expect(layerOf(d, 'icmp-target').result?.message).toMatch(/cap_net_raw, the file capability ping carries, is outside the capability bounding set/);
    const kernel = await h.exec(as[0]!, [...as.slice(1), '--', 'ping', '-n', '-c', '1', '-W', '1', AT.t]);
    expect(kernel.stderr).toContain('Operation not permitted');
  }, 90_000);

  it('Destination Host Unreachable (the router answers for a dead target): the way stops at ICMP to the target with that meaning; TCP says unreachable', async () => {
    const { h, r } = await routed('dgi-hostun');
    const dead = '198.19.63.9';
    const { d, exitCode } = await diagnose(h, `${dead}:8080`);
    expect(exitCode).toBe(1);
    expect(d.stoppedAt).toBe('icmp-target');
    expect(layerOf(d, 'icmp-gateway').state).toBe('pass');
    expect(layerOf(d, 'icmp-target').symptom).toMatchObject({ code: 'host-unreachable', address: dead });
    expect(layerOf(d, 'tcp').state).toBe('not-reached');
    expect(layerOf(d, 'tcp').result?.message).toMatch(/unreachable|timed out|timeout|no answer/i);
    // The kernel's tools: ping in H hears the router say so, and the router's own neighbour entry failed.
    expect((await h.exec('ping', ['-n', '-c', '2', '-i', '0.2', '-W', '4', dead])).stdout).toMatch(
      new RegExp(`From ${AT.rNear.replaceAll('.', '\\.')} icmp_seq=\\d+ Destination Host Unreachable`),
    );
    const neigh = JSON.parse(await ok(r, 'ip', ['-j', 'neigh', 'show', dead])) as Array<{ state: string[] }>;
    expect(neigh[0]?.state.some((x) => x === 'FAILED' || x === 'INCOMPLETE')).toBe(true);
  }, 90_000);

  it("a dead target (T drops everything) with the default 5 s timeout: bounded by the TCP timeout and the pings' wait, never hung", async () => {
    const { h, t } = await routed('dgi-dead');
    // The connect's 5 s, then the pings' spacing and three-second wait, side by side.
    await deadTarget((target, timeout) => diagnose(h, target, [], timeout), h, t, AT, 11_000);
  }, 90_000);
});

const sshWhy = why ?? sshFleetSkipReason();
if (sshWhy) console.log(`skipping diagnose over SSH: ${sshWhy}`);

// `diagnose --target ssh://S` run from an auditing namespace A: the lower layers and the pings are S's (a namespace
// sshd host with its own host key, this run's key authorized and a client config file of the test's own), the
// probes A's. A reaches S's sshd and the target T through S; S has T on its own link, a route to a third network
// through a gateway nobody holds, and no default route. So S's route, next hop and neighbour table differ from A's,
// and each verdict is compared with what the kernel says in S, and what it says in A, which differs. T holds a
// second address whose echo requests it drops, a port it filters and plain HTTP on 443; cases that need a router
// build their own behind S (S -- R -- T2 on 198.19.48-57.x), which A reaches through S.
const SA = { a: '198.19.60.1', s: '198.19.60.2' };
const ST = { s: '198.19.61.1', t: '198.19.61.2', deadGw: '198.19.61.9', noEcho: '198.19.61.3' };
const ST_NFT = `table inet f {
  chain in {
    type filter hook input priority 0; policy accept;
    tcp dport 9443 drop
    ip daddr ${ST.noEcho} ip saddr ${ST.s} icmp type echo-request counter drop
    ip daddr ${ST.noEcho} icmp type echo-request drop
  }
}
`;
const SR_MTU: RoutedAddresses = { h: '198.19.56.2', rNear: '198.19.56.1', rFar: '198.19.57.1', t: '198.19.57.2' };
const SR_HOLE: RoutedAddresses = { h: '198.19.54.2', rNear: '198.19.54.1', rFar: '198.19.55.1', t: '198.19.55.2' };
const SR_UNREACH: RoutedAddresses = { h: '198.19.52.2', rNear: '198.19.52.1', rFar: '198.19.53.1', t: '198.19.53.2' };
const SR_LOSS: RoutedAddresses = { h: '198.19.48.2', rNear: '198.19.48.1', rFar: '198.19.49.1', t: '198.19.49.2' };
const SR_DEAD: RoutedAddresses = { h: '198.19.50.2', rNear: '198.19.50.1', rFar: '198.19.51.1', t: '198.19.51.2' };
// The no-ping host N: A -- N on 198.19.62.x, T3 on N's own link 198.19.63.x.
const NP = { a: '198.19.62.1', n: '198.19.62.2', nt: '198.19.63.1', t: '198.19.63.2' };
const SSH_DEAD_NET = '198.19.58';
const SSH_NOROUTE = '198.19.59.7';

(sshWhy ? describe.skip : describe)("diagnose over SSH: the lower layers are the SSH host's (network namespaces)", () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  const children: ChildProcess[] = [];
  let fleet: SshFleet | undefined;
  let a: TestHost;
  let s: TestHost;
  let t: TestHost;
  let sDev = '';
  let sshAddress = '';
  let dir = '';

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr || build.stdout}`);
    dir = mkdtempSync(join(tmpdir(), 'pl-diag-ssh-'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'servers.py'), PROBE_SERVERS_PY);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const noPing: [string, string] = [pingWithoutCapability(dir), '/usr/bin/ping'];
    fleet = await startSshFleet({
      hosts: [{ name: 'dgssh' }, { name: 'dgnoping', fault: 'nonroot-nosudo', sysctls: { 'net.ipv4.ping_group_range': '1 0' }, binds: [noPing] }],
    });
    cleanup.push(() => fleet?.destroy());
    cleanup.push(() => {
      for (const ch of children) ch.kill('SIGKILL');
    });
    s = fleet.host('dgssh').test;
    sshAddress = fleet.host('dgssh').address;
    t = await TestHost.create({ name: 'dgs-t', nft: ST_NFT });
    a = await TestHost.create({ name: 'dgs-a' });
    cleanup.push(
      () => t.destroy(),
      () => a.destroy(),
    );
    await link(a, SA.a, s, SA.s);
    const [sEnd, tEnd] = await link(s, ST.s, t, ST.t);
    sDev = sEnd;
    await ok(t, 'ip', ['addr', 'add', `${ST.noEcho}/24`, 'dev', tEnd]);
    await ok(s, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1', 'net.ipv4.icmp_ratelimit=0']);
    // S's default route leads out of the namespaces: without it, what S has no route for stays unroutable.
    await ok(s, 'ip', ['route', 'del', 'default']);
    await ok(s, 'ip', ['route', 'add', `${SSH_DEAD_NET}.0/24`, 'via', ST.deadGw]);
    await ok(t, 'ip', ['route', 'add', 'default', 'via', ST.s]);
    // A reaches S's sshd, T's network, the dead network and the unroutable one, all through S.
    for (const dest of [`${sshAddress}/32`, '198.19.61.0/24', `${SSH_DEAD_NET}.0/24`, '198.19.59.0/24']) await ok(a, 'ip', ['route', 'add', dest, 'via', SA.s]);
    for (const [address, port] of [
      [ST.t, '8080'],
      [ST.noEcho, '8080'],
      // Plain HTTP on the TLS port.
      [ST.t, '443'],
    ] as const) {
      await startInNs(t.ns, ['python3', join(dir, 'servers.py'), 'http', address, port], /READY/, children);
    }
  }, 240_000);

  afterAll(() => runCleanups(cleanup), 60_000);

  /** diagnose run in A over SSH to the fleet host at `address` (S's by default). */
  const diagnoseOver =
    (address: () => string): Diagnose =>
    async (target, timeout = '2s') => {
      const started = performance.now();
      const r = await a.exec(
        process.execPath,
        [CLI, 'diagnose', target, '--target', `ssh://${address()}`, '--ssh-config', fleet!.sshConfig, '--format', 'json', '--timeout', timeout],
        { env: { ...process.env, NO_COLOR: '1' }, timeoutMs: 90_000 },
      );
      if (r.exitCode > 1) throw new Error(`diagnose ${target} over SSH exited ${r.exitCode}: ${r.stderr}`);
      return { d: JSON.parse(r.stdout) as Diagnosis, exitCode: r.exitCode, ms: performance.now() - started };
    };
  const diagnose = diagnoseOver(() => sshAddress);
  const routeGet = async (h: TestHost, address: string) =>
    (JSON.parse(await ok(h, 'ip', ['-j', 'route', 'get', address])) as Array<{ dev: string; gateway?: string }>)[0]!;
  const neighOf = async (h: TestHost, address: string) =>
    JSON.parse(await ok(h, 'ip', ['-j', 'neigh', 'show', address])) as Array<{ dev: string; state: string[] }>;
  /** The layers below TCP, each judged on S. */
  const lowerOnS = (d: Diagnosis) =>
    d.layers.filter((l) => ['link', 'neighbour', 'route', 'icmp-target', 'path-mtu'].includes(l.name)).map((l) => [l.name, l.state, l.from]);
  const LOWER_PASS_ON_S = ['link', 'neighbour', 'route', 'icmp-target', 'path-mtu'].map((n) => [n, 'pass', 'audited-host']);

  /** S -- R -- T2 (the far link's MTU as given): S routes T2's network through R, A reaches it through S; HTTP on T2:8080. */
  const routedFromS = async (name: string, at: RoutedAddresses, farMtu: number) => {
    const far = at.t.replace(/\.\d+$/, '.0/24');
    const path = await behind(s, name, at, farMtu, far, cleanup);
    await ok(path.r, 'ip', ['route', 'add', SA.a.replace(/\.\d+$/, '.0/24'), 'via', at.h]);
    await ok(a, 'ip', ['route', 'add', far, 'via', SA.s]);
    await startInNs(path.t.ns, ['python3', join(dir, 'servers.py'), 'http', at.t, '8080'], /READY/, children);
    return path;
  };

  it('healthy: every layer passes, judged on S (T on its own link, no gateway) where A goes through S', async () => {
    const { d, exitCode, ms } = await diagnose(`${ST.t}:8080`);
    console.log(`diagnose over SSH of a healthy target took ${Math.round(ms)} ms as a whole process (${d.elapsedMs} ms inside)`);
    expect(exitCode).toBe(0);
    expect(d.host.transport).toBe(`ssh://${sshAddress}`);
    expect(d.path).toEqual({ device: sDev, local: false });
    expect(d.layers.filter((l) => l.state !== 'absent').map((l) => [l.name, l.state])).toEqual([
      ['link', 'pass'],
      ['neighbour', 'pass'],
      ['route', 'pass'],
      ['icmp-gateway', 'skip'],
      ['icmp-target', 'pass'],
      ['path-mtu', 'pass'],
      ['dns', 'skip'],
      ['tcp', 'pass'],
      ['http', 'pass'],
    ]);
    expect(layerOf(d, 'link').from).toBe('audited-host');
    expect(layerOf(d, 'tcp').from).toBe('auditing-machine');
    // S's kernel: T is on its link, its neighbour entry resolved there.
    expect(await routeGet(s, ST.t)).toMatchObject({ dev: sDev });
    expect((await routeGet(s, ST.t)).gateway).toBeUndefined();
    expect((await neighOf(s, ST.t))[0]?.state.some((x) => ['REACHABLE', 'STALE', 'DELAY', 'PROBE'].includes(x))).toBe(true);
    expect(layerOf(d, 'neighbour').result?.actual).toMatch(new RegExp(`^${ST.t.replaceAll('.', '\\.')} dev ${sDev} lladdr `));
    // A's kernel sees another path: through S, on a device S does not have, and no neighbour entry for T.
    expect(await routeGet(a, ST.t)).toMatchObject({ gateway: SA.s });
    expect((await a.exec('ip', ['link', 'show', 'dev', sDev])).exitCode).not.toBe(0);
    expect(await neighOf(a, ST.t)).toEqual([]);
  }, 120_000);

  it("no route on S (A has one, through S): the way stops at S's route", async () => {
    expect((await s.exec('ip', ['route', 'get', SSH_NOROUTE])).stderr).toMatch(/Network is unreachable/);
    expect(await routeGet(a, SSH_NOROUTE)).toMatchObject({ gateway: SA.s });
    const { d, exitCode } = await diagnose(`${SSH_NOROUTE}:8080`);
    expect(exitCode).toBe(1);
    expect(d.stoppedAt).toBe('route');
    expect(layerOf(d, 'route').symptom).toMatchObject({ code: 'no-route', address: SSH_NOROUTE, refused: false });
    expect(layerOf(d, 'tcp').state).toBe('not-reached');
  }, 120_000);

  it("a dead gateway on S: S's neighbour entry FAILED stops the way; A has no entry for it at all", async () => {
    const { d, exitCode } = await diagnose(`${SSH_DEAD_NET}.5:8080`);
    expect(exitCode).toBe(1);
    expect(d.stoppedAt).toBe('neighbour');
    expect(layerOf(d, 'neighbour').symptom).toMatchObject({ code: 'neighbour-failed', address: ST.deadGw, device: sDev, gateway: true });
    expect(d.path).toEqual({ device: sDev, gateway: ST.deadGw, local: false });
    expect((await neighOf(s, ST.deadGw))[0]?.state.some((x) => x === 'FAILED' || x === 'INCOMPLETE')).toBe(true);
    expect(await neighOf(a, ST.deadGw)).toEqual([]);
  }, 120_000);

  it('refused: TCP from A says refused, the lower layers pass on S', async () => {
    const { d, exitCode } = await diagnose(`${ST.t}:9999`);
    expect(exitCode).toBe(1);
    expect(d.stoppedAt).toBe('tcp');
    expect(layerOf(d, 'tcp').symptom).toMatchObject({ code: 'refused', address: ST.t, port: 9999 });
    expect(lowerOnS(d)).toEqual(LOWER_PASS_ON_S);
    expect(await connectIn(a, ST.t, 9999)).toBe('ECONNREFUSED');
  }, 120_000);

  it('a filtered port (nft drop at T): TCP from A times out, as a connect from A does; the layers below pass on S', async () => {
    const { d, exitCode } = await diagnose(`${ST.t}:9443`);
    expect(exitCode).toBe(1);
    expect(d.stoppedAt).toBe('tcp');
    expect(layerOf(d, 'tcp')).toMatchObject({ from: 'auditing-machine', symptom: { code: 'timeout', address: ST.t, port: 9443 } });
    expect(lowerOnS(d)).toEqual(LOWER_PASS_ON_S);
    expect(d.path).toEqual({ device: sDev, local: false });
    expect(await connectIn(a, ST.t, 9443, 1_500)).toBe('timeout');
  }, 120_000);

  it('a TLS port that speaks plain HTTP: TCP passes, TLS stops the way, the port answered in HTTP; the layers below pass on S', async () => {
    expect(await plainAnswer(a, ST.t, 443)).toBe('HTTP/1.1 200');
    const { d, exitCode } = await diagnose(`${ST.t}:443`);
    expect(exitCode).toBe(1);
    expect(d).toMatchObject({ stoppedAt: 'tls', verdict: 'answers-wrongly' });
    expect(layerOf(d, 'tls').symptom).toMatchObject({ code: 'tls-not-tls', port: 443 });
    expect(layerOf(d, 'tls').result?.message).toMatch(/answered in (HTTP|plain text)/);
    expect(lowerOnS(d)).toEqual(LOWER_PASS_ON_S);
    expect(layerOf(d, 'tcp').state).toBe('pass');
  }, 120_000);

  it("ICMP dropped at T while TCP gets through: warnings from S's pings, exit 0; T counted S's requests, and ping on S agrees", async () => {
    const { d, exitCode } = await diagnose(`${ST.noEcho}:8080`);
    expect(exitCode).toBe(0);
    expect(d.verdict).toBe('answers');
    expect(layerOf(d, 'icmp-target')).toMatchObject({ state: 'warn', from: 'audited-host', symptom: { code: 'icmp-no-reply', host: ST.noEcho } });
    expect(layerOf(d, 'path-mtu')).toMatchObject({ state: 'warn', symptom: { code: 'path-mtu-unjudged', host: ST.noEcho } });
    expect(layerOf(d, 'http').state).toBe('pass');
    // The requests T dropped came from S's address on T's link (A's would come from 198.19.60.1).
    const counted = Number(/counter packets (\d+)/.exec(await ok(t, 'nft', ['list', 'table', 'inet', 'f']))?.[1]);
    expect(counted).toBeGreaterThan(0);
    expect(await ping(s, ['-c', '3', ST.noEcho])).toMatchObject({ loss: 100, received: 0 });
    expect(await ping(s, ['-c', '3', ST.t])).toMatchObject({ loss: 0 });
  }, 120_000);

  it("a router behind S reporting fragmentation needed (MTU 1400 beyond it): a warning naming S's path MTU below S's interface's, exit 0; tracepath on S agrees", async () => {
    const { devices } = await routedFromS('dgsm', SR_MTU, 1400);
    const { d, exitCode } = await diagnose(`${SR_MTU.t}:8080`);
    expect(exitCode).toBe(0);
    expect(d.path).toEqual({ device: devices.h, gateway: SR_MTU.rNear, local: false });
    expect(layerOf(d, 'path-mtu')).toMatchObject({
      state: 'warn',
      from: 'audited-host',
      symptom: { code: 'path-mtu-below', pathMtu: 1400, linkMtu: 1500, from: SR_MTU.rNear },
      result: { reason: { code: 'mtu-reported', mtu: 1400, packet: 1500 } },
    });
    expect(await ok(s, 'cat', [`/sys/class/net/${devices.h}/mtu`])).toBe('1500\n');
    await ok(s, 'ip', ['route', 'flush', 'cache']);
    expect(await ok(s, 'tracepath', ['-n', '-m', '4', SR_MTU.t])).toMatch(/Resume: pmtu 1400 hops 2/);
    // A's path is another: through S, on a device S has and A does not.
    expect(await routeGet(a, SR_MTU.t)).toMatchObject({ gateway: SA.s });
    expect((await a.exec('ip', ['link', 'show', 'dev', devices.h])).exitCode).not.toBe(0);
  }, 120_000);

  it('the same path behind S with the fragmentation-needed messages dropped: a warning naming the blackhole, exit 0 while HTTP answers; ping on S agrees', async () => {
    const { r, devices } = await routedFromS('dgsb', SR_HOLE, 1400);
    await r.exec('nft', ['-f', '-'], { input: BLACKHOLE_NFT });
    const { d, exitCode } = await diagnose(`${SR_HOLE.t}:8080`);
    expect(exitCode).toBe(0);
    expect(d.path).toEqual({ device: devices.h, gateway: SR_HOLE.rNear, local: false });
    expect(layerOf(d, 'path-mtu')).toMatchObject({ state: 'warn', from: 'audited-host', symptom: { code: 'path-mtu-blackhole', size: 1500 } });
    expect(layerOf(d, 'http').state).toBe('pass');
    expect(await ping(s, ['-M', 'do', '-c', '2', '-s', '1472', SR_HOLE.t])).toMatchObject({ loss: 100 });
    expect(await ping(s, ['-M', 'do', '-c', '2', '-s', '56', SR_HOLE.t])).toMatchObject({ loss: 0 });
  }, 120_000);

  it("Destination Host Unreachable from a router behind S: the way stops at S's ICMP to the target with that meaning; ping on S hears the router say so", async () => {
    const { r, devices } = await routedFromS('dgsu', SR_UNREACH, 1500);
    const dead = SR_UNREACH.t.replace(/\.\d+$/, '.9');
    const { d, exitCode } = await diagnose(`${dead}:8080`);
    expect(exitCode).toBe(1);
    expect(d.stoppedAt).toBe('icmp-target');
    expect(d.path).toEqual({ device: devices.h, gateway: SR_UNREACH.rNear, local: false });
    expect(layerOf(d, 'icmp-gateway')).toMatchObject({ state: 'pass', from: 'audited-host' });
    expect(layerOf(d, 'icmp-target')).toMatchObject({ from: 'audited-host', symptom: { code: 'host-unreachable', address: dead } });
    expect(layerOf(d, 'tcp').state).toBe('not-reached');
    expect((await s.exec('ping', ['-n', '-c', '2', '-i', '0.2', '-W', '4', dead])).stdout).toMatch(
      new RegExp(`From ${SR_UNREACH.rNear.replaceAll('.', '\\.')} icmp_seq=\\d+ Destination Host Unreachable`),
    );
    expect((await neighOf(r, dead))[0]?.state.some((x) => x === 'FAILED' || x === 'INCOMPLETE')).toBe(true);
  }, 120_000);

  it("a lossy first hop behind S (R drops every other echo request to itself): S's loss warning on the gateway, as ping on S sees", async () => {
    const { r, devices } = await routedFromS('dgsl', SR_LOSS, 1500);
    const d = await lossyFirstHop(diagnose, s, r, SR_LOSS);
    expect(d.path).toEqual({ device: devices.h, gateway: SR_LOSS.rNear, local: false });
    expect(layerOf(d, 'icmp-gateway').from).toBe('audited-host');
    // A's path to T2 is another: through S, on a device S has and A does not.
    expect(await routeGet(a, SR_LOSS.t)).toMatchObject({ gateway: SA.s });
    expect((await a.exec('ip', ['link', 'show', 'dev', devices.h])).exitCode).not.toBe(0);
  }, 120_000);

  it("a dead target behind S (T2 drops everything) with the default 5 s timeout: bounded by the TCP timeout, the pings' wait on S and the SSH round trips, never hung", async () => {
    const { t: dead } = await routedFromS('dgsd', SR_DEAD, 1500);
    // Longer than inside a namespace: over SSH S's pings wait one after another (locally side by side), after the
    // connect's 5 s, with the SSH round trips besides.
    const d = await deadTarget(diagnose, s, dead, SR_DEAD, 20_000);
    expect(layerOf(d, 'icmp-target').from).toBe('audited-host');
    expect(layerOf(d, 'tcp').from).toBe('auditing-machine');
  }, 120_000);

  it("SYN_SENT piling on S toward T (real connects from S to a port T filters): S's health warning counting those, as ss on S counts them; A holds none", async () => {
    await synSentPiling(diagnose, s, ST.t, children);
    expect((await ok(a, 'ss', ['-Htn', 'state', 'syn-sent'])).trim()).toBe('');
  }, 120_000);

  it("a refused port on S itself (S's service bound to 127.0.0.1 only): the hint names where the port is bound on S, as ss -Htln on S says; A listens on none of it", async () => {
    const server = await startInNs(s.ns, ['python3', join(dir, 'servers.py'), 'http', '127.0.0.1', '5432'], /READY/, children);
    try {
      const d = await refusedOnItself(diagnose, s, SA.s, 5432);
      expect(d.host.transport).toBe(`ssh://${sshAddress}`);
      expect(await connectIn(a, SA.s, 5432)).toBe('ECONNREFUSED');
      expect((await ok(a, 'ss', ['-Htln', 'sport', '= :5432'])).trim()).toBe('');
    } finally {
      server.kill('SIGKILL');
    }
  }, 120_000);

  it("CLOSE_WAIT piling up in a service on S (it never closes what A's clients closed): counted on S's port as ss on S counts them; A holds none", async () => {
    const d = await closeWaitPiling(diagnose, s, SA.s, a, children);
    expect(d.host.transport).toBe(`ssh://${sshAddress}`);
    expect((await ok(a, 'ss', ['-Htn', 'state', 'close-wait'])).trim()).toBe('');
  }, 120_000);

  it("a host where ping cannot send (its login non-root, its ping without cap_net_raw, no ping group): the ICMP layers say why on that host, the rest is judged; that login's ping says so", async () => {
    const n = fleet!.host('dgnoping');
    expect(n.user).toBe(NONROOT_USER);
    // A reaches N's sshd and T3 on N's own link through N.
    await link(a, NP.a, n.test, NP.n);
    await ok(n.test, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    const t3 = await TestHost.create({ name: 'dgs-t3' });
    cleanup.push(() => t3.destroy());
    await link(n.test, NP.nt, t3, NP.t);
    await ok(t3, 'ip', ['route', 'add', 'default', 'via', NP.nt]);
    for (const dest of [`${n.address}/32`, NP.t.replace(/\.\d+$/, '.0/24')]) await ok(a, 'ip', ['route', 'add', dest, 'via', NP.n]);
    await startInNs(t3.ns, ['python3', join(dir, 'servers.py'), 'http', NP.t, '8080'], /READY/, children);
    const { d, exitCode } = await diagnoseOver(() => n.address)(`${NP.t}:8080`);
    expect(exitCode).toBe(0);
    pingCannotSendJudged(d, 'no-socket', ['icmp-target', 'path-mtu']);
    expect(layerOf(d, 'icmp-target')).toMatchObject({ from: 'audited-host' });
    expect(layerOf(d, 'icmp-target').result?.message).toMatch(
      /ping has no raw-socket capability \(cap_net_raw\), and net\.ipv4\.ping_group_range 1 0 admits no group/,
    );
    const kernel = await run('ssh', fleet!.sshArgs(n, ['ping', '-n', '-c', '1', '-W', '1', NP.t]));
    expect(kernel.stderr).toContain('socket: Operation not permitted');
    // Root in N's network namespace (outside the login's mount namespace, so with the system ping) reaches T3.
    expect(await ping(n.test, ['-c', '2', NP.t])).toMatchObject({ loss: 0 });
  }, 120_000);
});
