// The floor under a default `plumbline audit` on this host: the same host reads and the same programs (`nft`
// for the firewall, `ip` for policy rules and every routing table), in the cheapest form Node has (synchronous
// reads, concurrent execFile calls), with no parsing, no evaluation and no report. What the real audit costs on top of this is plumbline's own; what this costs over `node -e 0` is
// the price of the facts themselves. bench/experiments.mjs times it; bench/README.md has the figures.
//
//   node bench/floor.cjs            reads + programs
//   node bench/floor.cjs --no-nft   reads only
//
// The reads and programs are those the baseline's plan makes (checked against `strace -f -e
// trace=openat,readlink,execve` of a real run): the baseline's sysctl keys, /proc/net once per table, the
// /proc/*/fd owner scan, the owners' status and limits, every interface's sysfs attributes and statistics,
// /etc/passwd, whether IPv6 and legacy iptables tables exist; `nft -j list ruleset`, `ip -j` rules and
// routes of both families, and `ip -j neigh show` (the default gateway's neighbour entry; every link's flags
// are among the sysfs reads).
'use strict';
const { readFileSync, readdirSync, readlinkSync, writeSync } = require('node:fs');
const { join } = require('node:path');

const PROGRAMS = [
  ['nft', ['-j', 'list', 'ruleset']],
  ...['-4', '-6'].flatMap((f) => [
    ['ip', ['-j', f, 'rule', 'show']],
    ['ip', ['-j', f, 'route', 'show', 'table', 'all']],
  ]),
  ['ip', ['-j', 'neigh', 'show']],
];
const run = ([file, args]) => new Promise((resolve) => require('node:child_process').execFile(file, args, (_e, out) => resolve(out)));
const programs = process.argv.includes('--no-nft') ? Promise.resolve([]) : Promise.all(PROGRAMS.map(run));
const read = (f) => {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
};

const root = join(__dirname, '..');
read(join(root, 'dist', 'builtin-policies.json'));
for (const m of read(join(root, 'policies', 'baseline.yaml')).matchAll(/^\s*sysctl:\s*(\S+)/gm)) read(`/proc/sys/${m[1].replace(/\./g, '/')}`);
for (const f of ['kernel/hostname', 'kernel/osrelease', 'net/ipv6/bindv6only', 'net/ipv6/conf/all/disable_ipv6']) read(`/proc/sys/${f}`);
for (const f of ['tcp', 'tcp6', 'udp', 'udp6', 'netstat', 'snmp', 'ip_tables_names', 'ip6_tables_names']) read(`/proc/net/${f}`);
read('/etc/passwd');
const owners = new Set();
for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
  let fds;
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    continue;
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) owners.add(pid);
    } catch {
      // gone
    }
  }
}
for (const pid of owners) for (const f of ['comm', 'status', 'limits', 'cgroup']) read(`/proc/${pid}/${f}`);
for (const dev of readdirSync('/sys/class/net')) {
  const dir = `/sys/class/net/${dev}`;
  for (const a of ['operstate', 'carrier', 'mtu', 'flags', 'type']) read(`${dir}/${a}`);
  for (const s of readdirSync(`${dir}/statistics`)) read(`${dir}/statistics/${s}`);
}
programs.then((outs) => {
  for (const out of outs) JSON.parse(out || '{}');
  writeSync(1, 'floor\n');
});
