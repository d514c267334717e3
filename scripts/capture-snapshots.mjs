#!/usr/bin/env node
// Capture real facts snapshots for the unit tests: build test hosts (network namespaces with real servers,
// sysctls and firewall rulesets; test/integration/harness/netns.ts), run the built CLI's `facts` command
// inside each, and write fixtures/snapshots/<host>.json. Needs root, nft, iptables, python3, and a build
// (`npm run build`). Usage, from the repository root:
//
//   npm run build && node scripts/capture-snapshots.mjs [mixed|good|bad|edge]...
//
// The snapshots are written as the CLI wrote them and never edited afterwards. Hosts are created one at a
// time and destroyed (servers killed, namespace and veth deleted) before the next one starts, also on error.
// Traffic: loopback inside the namespaces only; the veths carry 198.19.201.0/24 to 198.19.203.0/24, and a veth
// pair inside each namespace (innerLink) 198.19.204.0/24, which nothing beyond the namespace sees.
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin/plumbline.js');
const OUT = join(ROOT, 'fixtures/snapshots');
const POLICIES = ['builtin:baseline', join(OUT, 'all-selectors.yaml')];

if (!existsSync(join(ROOT, 'dist/cli.cjs'))) {
  console.error('capture-snapshots: the CLI is not built; run `npm run build` first');
  process.exit(2);
}

// The harness is TypeScript: bundle it (esbuild is a dev dependency) and load the bundle.
const tmp = mkdtempSync(join(tmpdir(), 'pl-capture-'));
const harnessJs = join(tmp, 'harness.mjs');
await build({
  stdin: {
    contents: "export * from './netns.ts'; export * from './hosts.ts';",
    resolveDir: join(ROOT, 'test/integration/harness'),
    loader: 'ts',
  },
  outfile: harnessJs,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
const { TestHost, netnsSkipReason, run, goodHost, badHost, TUNED_SYSCTLS, GOOD_NFT, GOOD_LISTENERS } = await import(harnessJs);
rmSync(tmp, { recursive: true, force: true });

const why = netnsSkipReason();
if (why) {
  console.error(`capture-snapshots: cannot create test hosts: ${why}`);
  process.exit(2);
}

// --- the hosts -------------------------------------------------------------------------------------------

// The reference hosts of test/integration/harness/hosts.ts (good and bad), with a fixed veth subnet.

// ufw's IPv4 layout (iptables-nft): base chains with policy DROP that jump into ufw-* chains.
const UFW_LIKE_IPTABLES = [
  ...['ufw-before-input', 'ufw-user-input', 'ufw-after-input', 'ufw-reject-input', 'ufw-track-input'].map((c) => ['-N', c]),
  ...['ufw-before-forward', 'ufw-user-forward', 'ufw-before-output', 'ufw-user-output', 'ufw-track-output'].map((c) => ['-N', c]),
  ['-P', 'INPUT', 'DROP'],
  ['-P', 'FORWARD', 'DROP'],
  ['-P', 'OUTPUT', 'ACCEPT'],
  ['-A', 'INPUT', '-j', 'ufw-before-input'],
  ['-A', 'INPUT', '-j', 'ufw-after-input'],
  ['-A', 'INPUT', '-j', 'ufw-reject-input'],
  ['-A', 'INPUT', '-j', 'ufw-track-input'],
  ['-A', 'FORWARD', '-j', 'ufw-before-forward'],
  ['-A', 'FORWARD', '-j', 'ufw-user-forward'],
  ['-A', 'OUTPUT', '-j', 'ufw-before-output'],
  ['-A', 'OUTPUT', '-j', 'ufw-track-output'],
  ['-A', 'ufw-before-input', '-i', 'lo', '-j', 'ACCEPT'],
  ['-A', 'ufw-before-input', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
  ['-A', 'ufw-before-input', '-j', 'ufw-user-input'],
  ['-A', 'ufw-user-input', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT'],
  ['-A', 'ufw-user-input', '-p', 'tcp', '--dport', '8443', '-j', 'ACCEPT'],
  ['-A', 'ufw-before-output', '-o', 'lo', '-j', 'ACCEPT'],
  ['-A', 'ufw-before-output', '-j', 'ufw-user-output'],
  ['-A', 'ufw-track-output', '-p', 'tcp', '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'ACCEPT'],
];

// IPv6 hand-written the firewalld way: INPUT policy ACCEPT ending in an unconditional REJECT; FORWARD left open.
const IP6TABLES = [
  ['-A', 'INPUT', '-i', 'lo', '-j', 'ACCEPT'],
  ['-A', 'INPUT', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
  ['-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT'],
  ['-A', 'INPUT', '-j', 'REJECT', '--reject-with', 'icmp6-adm-prohibited'],
];

const HOSTS = {
  // The snapshot the CLI tests judge (test/integration/inputs/facts-mixed.json): a tuned host but for one
  // sysctl, under the baseline alone, with the machine's hostname replaced so the file says nothing about it.
  mixed: {
    spec: {
      name: 'snap-mixed',
      sysctls: { ...TUNED_SYSCTLS, 'net.core.somaxconn': '1024' },
      nft: GOOD_NFT,
      listeners: GOOD_LISTENERS,
      veth: { hostAddr: '198.19.203.1/24', nsAddr: '198.19.203.2/24' },
    },
    out: join(ROOT, 'test/integration/inputs/facts-mixed.json'),
    policies: ['builtin:baseline'],
    hostname: 'pl-capture',
    async after() {},
  },
  good: {
    spec: goodHost('snap-good', { hostAddr: '198.19.201.1/24', nsAddr: '198.19.201.2/24' }),
    eth0: { mtu: 1500 },
    inner: { mtu: 1500 },
    async after() {},
  },
  bad: {
    // Only lo, and no route: its pings send nothing.
    spec: badHost('snap-bad'),
    async after(host) {
      await host.openConnections({ port: 6379, count: 110, state: 'close_wait', address: '127.0.0.1' });
    },
  },
  edge: {
    spec: {
      name: 'snap-edge',
      sysctls: {
        'net.core.somaxconn': '4096',
        'net.ipv4.tcp_max_syn_backlog': '2048',
        'net.ipv4.tcp_syncookies': '2',
        'net.ipv4.ip_local_port_range': '32768 60999',
        'net.ipv4.tcp_fin_timeout': '30',
        'net.ipv4.ip_forward': '0',
        'net.ipv6.conf.all.forwarding': '0',
        'net.ipv4.conf.all.accept_redirects': '0',
        'net.ipv6.conf.all.accept_redirects': '0',
        'net.ipv4.conf.all.send_redirects': '0',
        'net.ipv4.conf.all.rp_filter': '2',
        'net.ipv4.conf.all.accept_source_route': '0',
      },
      iptables: UFW_LIKE_IPTABLES,
      veth: { hostAddr: '198.19.202.1/24', nsAddr: '198.19.202.2/24' },
      listeners: [
        { address: '0.0.0.0', port: 22, name: 'pl-sshd' },
        { address: '::', port: 22, name: 'pl-sshd6', v6only: true },
        { address: '127.0.0.1', port: 6379, name: 'pl-redis', user: 'nobody', nofile: { soft: 16384, hard: 16384 } },
        { address: '::', port: 9200, name: 'pl-elastic', v6only: false, user: 'nobody', nofile: { soft: 20000, hard: 20000 } },
        { address: '::1', port: 5432, name: 'pl-postgres', v6only: true, user: 'nobody', nofile: { soft: 4096, hard: 4096 } },
        { address: '::', port: 8080, name: 'pl-app', v6only: false, nofile: { soft: 1024, hard: 4096 } },
        { address: '0.0.0.0', port: 8443, name: 'pl-web', user: 'nobody' },
        { address: '::', port: 8443, name: 'pl-web6', v6only: true, user: 'nobody' },
        { address: '198.19.202.2', port: 8081, name: 'pl-admin' },
        { address: '0.0.0.0', port: 5353, protocol: 'udp', name: 'pl-mdns' },
        { address: '::', port: 5355, protocol: 'udp', name: 'pl-llmnr', v6only: false },
        { address: '127.0.0.1', port: 11211, protocol: 'udp', name: 'pl-memcached', user: 'nobody' },
      ],
    },
    eth0: { mtu: 1400, ipv6Default: true },
    inner: { mtu: 1400 },
    async after(host) {
      for (const args of IP6TABLES) await ok(host, 'ip6tables', args);
      await ok(host, 'ip6tables', ['-P', 'FORWARD', 'ACCEPT']);
      // Counters: fixtures/proc/overflow.py fills a backlog-1 listener that never accepts (ListenOverflows,
      // ListenDrops) and sends a SYN to a port a temporary rule drops (RetransSegs); the rule goes away after.
      const drop9001 = ['INPUT', '-i', 'lo', '-p', 'tcp', '--dport', '9001', '-j', 'DROP'];
      await ok(host, 'iptables', ['-I', ...drop9001.slice(0, 1), '1', ...drop9001.slice(1)]);
      await ok(host, 'python3', [join(ROOT, 'fixtures/proc/overflow.py')], { timeoutMs: 20_000 });
      await ok(host, 'iptables', ['-D', ...drop9001]);
      // Peers that hung up on a server that never closes: CLOSE_WAIT on the server side (v4 and v6 loopback).
      await host.openConnections({ port: 8080, count: 20, state: 'close_wait', address: '127.0.0.1' });
      await host.openConnections({ port: 8080, count: 5, state: 'close_wait', address: '::1' });
      // Clients that stay connected until the host is destroyed.
      await host.openConnections({ port: 9200, count: 4, state: 'established', address: '::1' });
      await host.openConnections({ port: 6379, count: 3, state: 'established', address: '127.0.0.1' });
    },
  },
};

// --- helpers ---------------------------------------------------------------------------------------------

async function ok(host, cmd, args, opts = {}) {
  const r = await host.exec(cmd, args, opts);
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.exitCode}: ${r.stderr.trim()}`);
  return r;
}

/** Rename the namespace end of the veth to eth0 (its harness name is random), set its MTU, restore the routes. */
async function makeEth0(host, veth, opts) {
  const gw = veth.hostAddr.split('/')[0];
  await ok(host, 'ip', ['link', 'set', 'dev', host.vethNs, 'down']);
  await ok(host, 'ip', ['link', 'set', 'dev', host.vethNs, 'name', 'eth0']);
  await ok(host, 'ip', ['link', 'set', 'dev', 'eth0', 'mtu', String(opts.mtu)]);
  await ok(host, 'ip', ['link', 'set', 'dev', 'eth0', 'up']);
  await ok(host, 'ip', ['route', 'replace', 'default', 'via', gw, 'dev', 'eth0']);
  if (opts.ipv6Default) await ok(host, 'ip', ['-6', 'route', 'replace', 'default', 'via', 'fe80::1', 'dev', 'eth0']);
  // operstate follows the link asynchronously: wait until the kernel says up.
  for (let i = 0; i < 100; i++) {
    const s = await ok(host, 'cat', ['/sys/class/net/eth0/operstate']);
    if (s.stdout.trim() === 'up') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('eth0 did not come up');
}

/**
 * A link for all-selectors' neighbour, icmp and mtu checks (198.19.204.0/24): pl-in0 in the host (.1, at the given
 * MTU) and its peer pl-in1 in a namespace of its own (.5), which answers ping and tracepath at once (a silent
 * target would keep tracepath's UDP socket open while the host's sockets are read). Nobody answers ARP for .9:
 * its entry fails, and ping hears "Destination Host Unreachable" from the host itself; .6 is a permanent entry.
 * Returns the peer namespace's removal.
 */
async function innerLink(host, opts) {
  const peer = `pl-peer-${process.pid}`;
  await run('ip', ['netns', 'add', peer]);
  const del = () => run('ip', ['netns', 'del', peer]);
  try {
    await ok(host, 'ip', ['link', 'add', 'pl-in0', 'mtu', String(opts.mtu), 'type', 'veth', 'peer', 'name', 'pl-in1', 'mtu', String(opts.mtu)]);
    await ok(host, 'ip', ['link', 'set', 'pl-in1', 'netns', peer]);
    await ok(host, 'ip', ['addr', 'add', '198.19.204.1/24', 'dev', 'pl-in0']);
    await ok(host, 'ip', ['link', 'set', 'pl-in0', 'up']);
    for (const args of [
      ['addr', 'add', '198.19.204.5/24', 'dev', 'pl-in1'],
      ['link', 'set', 'pl-in1', 'up'],
      ['link', 'set', 'lo', 'up'],
    ]) {
      const r = await run('ip', ['-n', peer, ...args]);
      if (r.exitCode !== 0) throw new Error(`ip -n ${peer} ${args.join(' ')}: ${r.stderr.trim()}`);
    }
    await ok(host, 'ip', ['neigh', 'add', '198.19.204.6', 'lladdr', '02:00:00:00:00:06', 'dev', 'pl-in0', 'nud', 'permanent']);
  } catch (e) {
    await del();
    throw e;
  }
  return del;
}

async function capture(name) {
  const def = HOSTS[name];
  const host = await TestHost.create(def.spec);
  const cleanups = [];
  try {
    if (def.eth0) await makeEth0(host, def.spec.veth, def.eth0);
    if (def.inner) cleanups.push(await innerLink(host, def.inner));
    await def.after(host);
    const out = def.out ?? join(OUT, `${name}.json`);
    const args = [CLI, 'facts', ...(def.policies ?? POLICIES).flatMap((p) => ['-p', p]), '-o', out];
    const r = await host.exec(process.execPath, args, { timeoutMs: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    if (r.exitCode !== 0) throw new Error(`plumbline facts on ${name}: exit ${r.exitCode}: ${r.stderr.trim()}`);
    const snap = JSON.parse(readFileSync(out, 'utf8'));
    if (def.hostname) {
      snap.host.hostname = def.hostname;
      writeFileSync(out, `${JSON.stringify(snap, null, 2)}\n`);
    }
    const families = Object.keys(snap).filter((k) => !['schema', 'host', 'timings'].includes(k));
    console.log(`${name}: wrote ${out} (${families.join(', ')})`);
  } finally {
    for (const c of cleanups) await c();
    await host.destroy();
  }
}

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(HOSTS);
for (const n of names) {
  if (!(n in HOSTS)) {
    console.error(`capture-snapshots: unknown host "${n}"; hosts: ${Object.keys(HOSTS).join(', ')}`);
    process.exit(2);
  }
}
for (const n of names) await capture(n);
