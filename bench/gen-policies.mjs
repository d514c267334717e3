#!/usr/bin/env node
// Generates the benchmark policies in bench/policies/ (plain Node, no dependencies):
//
//   checks-1000.yaml  1,000 checks over every selector family: 600 sysctl checks over real keys of /proc/sys/net,
//                     300 listener checks on distinct ports, allow-lists, every TCP state, 30 kernel counters,
//                     interface, route, firewall and limits checks.
//   checks-10.yaml    10 checks touching the same fact families (2 sysctl + one of each other selector), so that
//                     1000-check / 10-check measures the cost per check, not the cost of extra families.
//   sysctl-600.yaml   exactly the 600 sysctl checks of checks-1000.yaml, and
//   sysctl-10.yaml    10 of those keys: plumbline's side of the per-key-process comparison.
//   sysctl-keys-600.txt, sysctl-keys-10.txt   the same keys, one a line, for bench/per-key-sysctl.{sh,mjs}.
//
// Sysctl keys are enumerated from this host's /proc/sys/net at generation time, restricted to keys every Linux host
// names the same way: per-interface keys only for `all`, `default` and `lo` (not eth0, ens3, ...), only keys with
// a read bit (net.ipv4.route.flush is write-only), and only keys that both a read of /proc/sys and `sysctl -n KEY`
// answer here. They are sorted and sampled at an even stride so that every subtree (core, ipv4, ipv4.conf,
// ipv4.neigh, ipv6.conf, netfilter, unix ...) is represented in proportion. Expectations depend only on the
// *shape* of each value (integer, list of integers, text), not on the value itself, so regenerating on the same
// kernel gives the same files. On another host some keys may be absent (br_netfilter, nf_conntrack and mptcp keys
// come and go with modules): bench/run.mjs counts how many exist and says so; regenerate with
// `node bench/gen-policies.mjs` to get a policy made of this host's keys.
//
// Usage: node bench/gen-policies.mjs [--check]    (--check: exit 1 if the files on disk differ from a fresh run)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(here, 'policies');
const PROC = '/proc/sys/net';
const N_SYSCTL = 600;

// ---------------------------------------------------------------------------------------------------------------
// Sysctl keys

const PER_IF = /^(ipv4|ipv6|mpls)\/(conf|neigh)\/([^/]+)\//;
const PORTABLE_IF = new Set(['all', 'default', 'lo']);

function walk(dir, rel = '') {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const r = rel ? `${rel}/${name}` : name;
    const st = statSync(path);
    if (st.isDirectory()) out.push(...walk(path, r));
    else if (st.isFile()) out.push({ rel: r, mode: st.mode });
  }
  return out;
}

function readValue(rel) {
  try {
    return readFileSync(join(PROC, rel), 'utf8').replace(/\s+/g, ' ').trim();
  } catch {
    return undefined;
  }
}

function sysctlAnswers(key) {
  try {
    execFileSync('sysctl', ['-n', key], { stdio: ['ignore', 'ignore', 'ignore'], timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

function candidateKeys() {
  const files = walk(PROC).filter(({ rel, mode }) => {
    if ((mode & 0o444) === 0) return false; // write-only (route/flush)
    const m = PER_IF.exec(rel);
    if (m && !PORTABLE_IF.has(m[3])) return false; // eth0, ens3, docker0 ...: not on every host
    // Dots would be ambiguous in a dotted key; none of the portable keys has one, but be sure.
    return !rel.split('/').some((p) => p.includes('.'));
  });
  const keys = [];
  for (const { rel } of files) {
    const value = readValue(rel);
    if (value === undefined) continue;
    keys.push({ key: `net.${rel.replace(/\//g, '.')}`, value });
  }
  return keys;
}

/** N items at an even stride over the sorted list, so every subtree is represented in proportion. */
function spread(items, n) {
  if (items.length < n) throw new Error(`only ${items.length} usable keys under ${PROC}, need ${n}`);
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

const SEVERITIES = ['low', 'medium', 'high', 'medium', 'low', 'info', 'high', 'critical'];
const sev = (i) => SEVERITIES[i % SEVERITIES.length];

function sysctlExpect(value, i) {
  if (/^-?\d+$/.test(value)) {
    const n = Number(value);
    const forms = [
      n >= 0 ? '{ gte: 0 }' : '{ lte: 0 }',
      '{ match: "^-?[0-9]+$" }',
      '{ exists: true }',
      '{ ne: -123456789 }',
      n >= 0 ? '{ between: [0, 9223372036854775807] }' : '{ between: [-9223372036854775807, 0] }',
    ];
    return forms[i % forms.length];
  }
  if (/^-?\d+( -?\d+)+$/.test(value)) {
    const first = Number(value.split(' ')[0]);
    return i % 2 === 0 ? '{ exists: true }' : `{ index: 0, ${first >= 0 ? 'gte: 0' : 'lte: 0'} }`;
  }
  if (value === '') return '{ exists: true }';
  return i % 2 === 0 ? '{ match: "\\\\S" }' : '{ exists: true }';
}

const idOf = (prefix, s) => `${prefix}.${s.toLowerCase().replace(/[^a-z0-9._-]/g, '-')}`;

function sysctlCheck({ key, value }, i) {
  return [
    `  - id: ${idOf('sysctl', key.replace(/^net\./, ''))}`,
    `    severity: ${sev(i)}`,
    `    sysctl: ${key}`,
    `    expect: ${sysctlExpect(value, i)}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Other families

// Well-known service ports (databases, caches, brokers, web, mail, directory, monitoring ...), then an app range.
const TCP_PORTS = [
  21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 179, 389, 443, 445, 465, 514, 587, 636, 873, 993, 995, 1080, 1433, 1521, 1883, 2049, 2181, 2375, 2376, 2379,
  2380, 3000, 3128, 3306, 3389, 4369, 5000, 5044, 5432, 5601, 5672, 5900, 5984, 6000, 6379, 6443, 7000, 7001, 7199, 7474, 7687, 8000, 8008, 8080, 8081, 8086,
  8088, 8443, 8500, 8888, 9000, 9042, 9090, 9092, 9093, 9100, 9200, 9300, 9418, 10250, 10255, 11211, 15672, 25565, 27017, 27018, 28017, 50000, 61616,
];
const UDP_PORTS = [53, 67, 68, 69, 123, 137, 161, 162, 500, 514, 1194, 1812, 1900, 4500, 5353, 11211, 51820];
const LISTENER_EXPECTS = [
  '{ bind: specific }',
  '{ bind: loopback }',
  '{ present: false }',
  '{ user: { ne: root } }',
  '{ bind: specific, user: { ne: root } }',
  '{ process: { notIn: [nc, ncat, socat, python3] } }',
];

function listenerChecks(n) {
  const ports = [...TCP_PORTS.map((p) => ['tcp', p]), ...UDP_PORTS.map((p) => ['udp', p])];
  for (let p = 8100; ports.length < n; p++) ports.push(['tcp', p]);
  return ports
    .slice(0, n)
    .map(([proto, port], i) =>
      [
        `  - id: listen.${proto}-${port}`,
        `    severity: ${sev(i + 2)}`,
        `    listener: { port: ${port}, protocol: ${proto} }`,
        `    expect: ${LISTENER_EXPECTS[i % LISTENER_EXPECTS.length]}`,
      ].join('\n'),
    );
}

const LISTENERS = [
  ['listeners.tcp-allow-list', '{ protocol: tcp }', '{ only: [22, 443, "127.0.0.1:6379", "[::1]:5432", "*:9100"] }'],
  ['listeners.udp-allow-list', '{ protocol: udp }', '{ only: [53, 123, "127.0.0.1:161"] }'],
  ['listeners.tcp-not-root', '{ protocol: tcp, unprivileged: true }', '{ user: { ne: root } }'],
  ['listeners.any-not-nobody', '{}', '{ user: { ne: nobody } }'],
];

const TCP_STATE_LIMITS = {
  ESTABLISHED: 100000,
  SYN_SENT: 1000,
  SYN_RECV: 1000,
  FIN_WAIT1: 1000,
  FIN_WAIT2: 5000,
  TIME_WAIT: 60000,
  CLOSE: 1000,
  CLOSE_WAIT: 100,
  LAST_ACK: 1000,
  LISTEN: 500,
  CLOSING: 100,
};

const NETSTAT = [
  ['ListenOverflowRatio', '{ lte: 0.001 }'],
  ['RetransRatio', '{ lte: 0.02 }'],
  ['ListenOverflows', '{ lte: 1000 }'],
  ['ListenDrops', '{ lte: 1000 }'],
  ['TcpExt.SyncookiesSent', '{ lte: 100000 }'],
  ['TcpExt.SyncookiesFailed', '{ lte: 1000 }'],
  ['TcpExt.TCPTimeouts', '{ gte: 0 }'],
  ['TcpExt.TCPAbortOnMemory', '{ eq: 0 }'],
  ['TcpExt.TCPAbortOnTimeout', '{ lte: 10000 }'],
  ['TcpExt.TCPBacklogDrop', '{ lte: 1000 }'],
  ['TcpExt.TCPMemoryPressures', '{ lte: 10 }'],
  ['TcpExt.PruneCalled', '{ lte: 10000 }'],
  ['TcpExt.RcvPruned', '{ lte: 1000 }'],
  ['TcpExt.OfoPruned', '{ lte: 1000 }'],
  ['TcpExt.TCPReqQFullDrop', '{ lte: 1000 }'],
  ['TcpExt.TCPTimeWaitOverflow', '{ eq: 0 }'],
  ['TcpExt.TCPRetransFail', '{ lte: 1000 }'],
  ['TcpExt.TCPOFODrop', '{ lte: 1000 }'],
  ['Tcp.AttemptFails', '{ gte: 0 }'],
  ['Tcp.EstabResets', '{ gte: 0 }'],
  ['Tcp.InErrs', '{ lte: 100000 }'],
  ['Tcp.InCsumErrors', '{ lte: 1000 }'],
  ['Tcp.OutRsts', '{ gte: 0 }'],
  ['Udp.RcvbufErrors', '{ lte: 1000 }'],
  ['Udp.SndbufErrors', '{ lte: 1000 }'],
  ['Udp.InErrors', '{ lte: 1000 }'],
  ['Udp.InCsumErrors', '{ lte: 1000 }'],
  ['Ip.InDiscards', '{ lte: 100000 }'],
  ['Ip.InHdrErrors', '{ lte: 1000 }'],
  ['Ip.ReasmFails', '{ lte: 1000 }'],
];

const INTERFACES = [
  ['"*"', '{ rx_error_ratio: { lte: 0.001 }, tx_error_ratio: { lte: 0.001 } }'],
  ['"*"', '{ rx_drop_ratio: { lte: 0.01 }, tx_drop_ratio: { lte: 0.01 } }'],
  ['"*"', '{ mtu: { gte: 1280 } }'],
  ['"*"', '{ up: true }'],
  ['"*"', '{ collisions: { lte: 0 } }'],
  ['"*"', '{ rx_crc_errors: { lte: 0 } }'],
  ['"*"', '{ rx_fifo_errors: { lte: 0 } }'],
  ['"*"', '{ rx_frame_errors: { lte: 0 } }'],
  ['"*"', '{ rx_missed_errors: { lte: 0 } }'],
  ['"*"', '{ rx_over_errors: { lte: 0 } }'],
  ['"*"', '{ tx_aborted_errors: { lte: 0 } }'],
  ['"*"', '{ tx_carrier_errors: { lte: 0 } }'],
  ['"*"', '{ tx_fifo_errors: { lte: 0 } }'],
  ['"*"', '{ tx_heartbeat_errors: { lte: 0 } }'],
  ['"*"', '{ tx_window_errors: { lte: 0 } }'],
  ['"*"', '{ rx_errors: { lte: 1000 }, tx_errors: { lte: 1000 } }'],
  ['lo', '{ up: true }'],
  ['lo', '{ mtu: { gte: 1500 } }'],
  ['lo', '{ rx_dropped: { lte: 0 } }'],
  ['lo', '{ tx_errors: { eq: 0 } }'],
];

const ROUTES = [
  ['default', '{ exists: true }'],
  ['default', '{ dev: { exists: true } }'],
  ['default', '{ via: { exists: true } }'],
  ['default6', '{ exists: true }'],
  ['10.0.0.0/8', '{ exists: false }'],
  ['172.16.0.0/12', '{ exists: false }'],
  ['169.254.0.0/16', '{ exists: false }'],
  ['fc00::/7', '{ exists: false }'],
];

const FIREWALL = [
  ['input', 'inet', '[drop, reject]'],
  ['forward', 'inet', '[drop, reject]'],
  ['output', 'inet', 'accept'],
  ['input', 'ip', '[drop, reject]'],
  ['input', 'ip6', '[drop, reject]'],
  ['forward', 'ip6', '[drop, reject]'],
];

const LIMITS = [
  ['{ listening: true, item: nofile }', '{ soft: { gte: 16384 } }'],
  ['{ listening: true, item: nofile }', '{ hard: { gte: 65535 } }'],
  ['{ listening: true, item: nproc }', '{ soft: { gte: 4096 } }'],
  ['{ listening: true, item: core }', '{ soft: { eq: 0 } }'],
  ['{ listening: true, item: memlock }', '{ soft: { gte: 65536 } }'],
  ['{ pid: 1, item: nofile }', '{ soft: { gte: 1024 } }'],
  ['{ port: 22, item: nofile }', '{ soft: { gte: 1024 } }'],
  ['{ port: 443, item: nofile }', '{ soft: { gte: 65535 } }'],
  ['{ process: nginx, item: nofile }', '{ soft: { gte: 65535 } }'],
  ['{ process: haproxy, item: nofile }', '{ soft: { gte: 65535 } }'],
  ['{ process: postgres, item: nofile }', '{ soft: { gte: 16384 } }'],
  ['{ process: redis-server, item: nofile }', '{ soft: { gte: 10032 } }'],
  ['{ process: mysqld, item: nofile }', '{ soft: { gte: 16384 } }'],
  ['{ process: mongod, item: nofile }', '{ soft: { gte: 64000 } }'],
  ['{ process: mongod, item: nproc }', '{ soft: { gte: 64000 } }'],
  ['{ process: java, item: nofile }', '{ soft: { gte: 65535 } }'],
  ['{ process: java, item: memlock }', '{ soft: { eq: unlimited } }'],
  ['{ process: memcached, item: nofile }', '{ soft: { gte: 16384 } }'],
  ['{ process: sshd, item: nofile }', '{ soft: { gte: 1024 } }'],
  ['{ process: node, item: nofile }', '{ soft: { gte: 16384 } }'],
];

function block(rows, fn) {
  return rows.map((r, i) => fn(r, i).join('\n'));
}

function header(name, description) {
  return [
    '# yaml-language-server: $schema=../../schemas/policy.schema.json',
    '# Generated by bench/gen-policies.mjs; do not edit by hand.',
    'apiVersion: plumbline/v1',
    'kind: Policy',
    'metadata:',
    `  name: ${name}`,
    `  description: ${description}`,
    'checks:',
  ].join('\n');
}

function policy(name, description, checks) {
  return `${header(name, description)}\n${checks.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------

function generate() {
  const all = candidateKeys();
  const answered = all.filter(({ key }) => sysctlAnswers(key));
  const dropped = all.length - answered.length;
  const chosen = spread(answered, N_SYSCTL);
  const ten = spread(chosen, 10);

  const sysctl600 = chosen.map(sysctlCheck);
  const sysctl10 = ten.map((k) => sysctlCheck(k, chosen.indexOf(k)));
  const listeners = listenerChecks(300);
  const allowLists = block(LISTENERS, ([id, sel, exp], i) => [`  - id: ${id}`, `    severity: ${sev(i + 1)}`, `    listeners: ${sel}`, `    expect: ${exp}`]);
  const states = block(Object.entries(TCP_STATE_LIMITS), ([st, lim], i) => [
    `  - id: ${idOf('tcp', st)}`,
    `    severity: ${sev(i)}`,
    '    tcpStates: {}',
    `    expect: { ${st}: { lte: ${lim} } }`,
  ]);
  // 11 states; a second ESTABLISHED bound (a floor) makes 12 tcpStates checks.
  states.push(['  - id: tcp.established-floor', '    severity: info', '    tcpStates: {}', '    expect: { ESTABLISHED: { gte: 0 } }'].join('\n'));
  const counters = block(NETSTAT, ([c, exp], i) => [`  - id: ${idOf('netstat', c)}`, `    severity: ${sev(i)}`, `    netstat: ${c}`, `    expect: ${exp}`]);
  const ifaces = block(INTERFACES, ([n, exp], i) => [`  - id: net.if-${i}`, `    severity: ${sev(i)}`, `    interface: ${n}`, `    expect: ${exp}`]);
  const routes = block(ROUTES, ([d, exp], i) => [
    `  - id: route.${i}`,
    `    severity: ${sev(i)}`,
    `    route: ${d.includes(':') || d.includes('/') ? `"${d}"` : d}`,
    `    expect: ${exp}`,
  ]);
  const fw = block(FIREWALL, ([c, f, p], i) => [
    `  - id: firewall.${c}-${f}`,
    `    severity: ${sev(i + 2)}`,
    `    firewall: { chain: ${c}, family: ${f} }`,
    `    expect: { policy: ${p} }`,
  ]);
  const limits = block(LIMITS, ([s, exp], i) => [`  - id: limits.${i}`, `    severity: ${sev(i)}`, `    limits: ${s}`, `    expect: ${exp}`]);

  const thousand = [...sysctl600, ...listeners, ...allowLists, ...states, ...counters, ...ifaces, ...routes, ...fw, ...limits];
  if (thousand.length !== 1000) throw new Error(`checks-1000 has ${thousand.length} checks`);
  const tenChecks = [
    ['  - id: kernel.somaxconn', '    severity: high', '    sysctl: net.core.somaxconn', '    expect: { gte: 4096 }'].join('\n'),
    ['  - id: kernel.syncookies', '    severity: high', '    sysctl: net.ipv4.tcp_syncookies', '    expect: { in: [1, 2] }'].join('\n'),
    limits[0],
    listeners[TCP_PORTS.indexOf(6379)],
    allowLists[2],
    states[7],
    counters[0],
    ifaces[0],
    routes[0],
    fw[0],
  ];
  if (tenChecks.length !== 10) throw new Error(`checks-10 has ${tenChecks.length} checks`);

  const files = {
    'checks-1000.yaml': policy('bench-1000', `1,000 checks over every fact family (${N_SYSCTL} sysctl keys of /proc/sys/net)`, thousand),
    'checks-10.yaml': policy('bench-10', '10 checks touching the same fact families as checks-1000', tenChecks),
    'sysctl-600.yaml': policy('bench-sysctl-600', 'The 600 sysctl checks of checks-1000.yaml alone', sysctl600),
    'sysctl-10.yaml': policy('bench-sysctl-10', '10 of the sysctl keys of checks-1000.yaml', sysctl10),
    'sysctl-keys-600.txt': `${chosen.map((k) => k.key).join('\n')}\n`,
    'sysctl-keys-10.txt': `${ten.map((k) => k.key).join('\n')}\n`,
  };
  const summary = {
    usableKeys: answered.length,
    droppedKeys: dropped,
    families: {
      sysctl: sysctl600.length,
      listener: listeners.length,
      listeners: allowLists.length,
      tcpStates: states.length,
      netstat: counters.length,
      interface: ifaces.length,
      route: routes.length,
      firewall: fw.length,
      limits: limits.length,
    },
  };
  return { files, summary };
}

const { files, summary } = generate();
if (process.argv.includes('--check')) {
  const stale = Object.entries(files).filter(([f, text]) => !existsSync(join(outDir, f)) || readFileSync(join(outDir, f), 'utf8') !== text);
  if (stale.length) {
    console.log(`bench/policies differ from a fresh generation on this host: ${stale.map(([f]) => f).join(', ')}`);
    process.exit(1);
  }
  console.log('bench/policies are up to date for this host');
} else {
  mkdirSync(outDir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(outDir, f), text);
  console.log(
    `wrote ${Object.keys(files).length} files to bench/policies/ (${summary.usableKeys} portable sysctl keys usable here, ` +
      `${summary.droppedKeys} unreadable by sysctl(8) left out; checks-1000: ${JSON.stringify(summary.families)})`,
  );
}
