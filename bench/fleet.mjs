#!/usr/bin/env node
// A fleet audit beside what users would otherwise run, as ratios in one run over the same namespace hosts at the
// same parallelism (issue 15):
//   floor    `ssh HOST true` for every host: connecting and logging in, nothing else;
//   gather   `ssh HOST sh -s ARGS < remote.sh`: plumbline's remote program with the batch plumbline sent, and
//            nothing else: what reading the same facts over SSH costs any tool (the hosts here share this
//            machine's CPUs, so their own reading work lands on the auditor's clock);
//   plumbline `plumbline audit --inventory` with the built-in baseline (every host's facts, TLS listeners);
//   reads    `ssh HOST sh -c SCRIPT`: the batch's reads and programs done the plainest way (one `cat` of its files,
//            each program, one `ls -l` of the fd links, one `cat` of each interface glob; no framing, no
//            per-process reads): less than any tool reading these facts must do, so a floor under any of them;
//   ansible  `ansible all -m setup`: the fact gathering Ansible users know.
// For 10, 50 and 100 hosts, then the same with 50 ms of round-trip delay on the way (this kernel has no netem:
// a relay here holds each direction 25 ms), then on hosts that each have a process table of their own with 60
// idle processes, as a real host has one: the test hosts otherwise share this machine's, so each host's /proc
// shows every other host's sshd, and what reading a host's processes costs grows with the number of hosts. Also: ssh processes per host (a wrapper around ssh counts them),
// TCP connections per host (each host's own kernel counts the connections it accepted: Tcp PassiveOpens), and
// plumbline's CPU and peak memory (GNU time).
//
//   node bench/fleet.mjs [--hosts 10,50,100] [--parallel 16] [--rounds 1] [--warmup 1] [--no-ansible] [--no-delay]
//                        [--own-processes 60 | --no-own | --only-own] [--json FILE]
//
// Each contender first runs --warmup times untimed on the same hosts: a namespace host is new, and the first
// reading of its /proc and /sys (its dentries and inodes made for the first time) costs whoever comes first,
// which a host that has been up for a day does not; then --rounds timed rounds, the contenders in turn.
//
// Network: the SSH test fleet's hosts (test/integration/harness/ssh-hosts.ts) on 198.19.200.0-198.19.254.255
// veths, and relays on 127.0.0.1. Needs root, sshd (openssh-server), ansible, GNU time.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = { hosts: [10, 50, 100], parallel: 16, rounds: 1, warmup: 1, ansible: true, delay: true, own: 60, onlyOwn: false, json: null };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--hosts') opt.hosts = args[++i].split(',').map(Number);
  else if (a === '--parallel') opt.parallel = Number(args[++i]);
  else if (a === '--rounds') opt.rounds = Number(args[++i]);
  else if (a === '--warmup') opt.warmup = Number(args[++i]);
  else if (a === '--no-ansible') opt.ansible = false;
  else if (a === '--no-delay') opt.delay = false;
  else if (a === '--own-processes') opt.own = Number(args[++i]);
  else if (a === '--no-own') opt.own = 0;
  else if (a === '--only-own') opt.onlyOwn = true;
  else if (a === '--json') opt.json = args[++i];
  else throw new Error(`unknown option ${a}`);
}

const work = mkdtempSync(join(tmpdir(), 'pl-bench-fleet-'));
// The harness is TypeScript: bundled here once, so the bench builds its hosts exactly as the tests do.
const harness = join(work, 'ssh-hosts.mjs');
await build({
  entryPoints: [join(root, 'test/integration/harness/ssh-hosts.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: harness,
  logLevel: 'error',
  packages: 'external',
});
const { startSshFleet } = await import(harness);

// ssh behind a wrapper that counts its invocations, first on PATH for plumbline and ansible alike.
const bin = join(work, 'bin');
execFileSync('mkdir', ['-p', bin]);
const sshLog = join(work, 'ssh-invocations');
// The wrapper also keeps the arguments of one call that runs the remote program, for the second floor below.
const gatherArgv = join(work, 'gather-argv');
writeFileSync(
  join(bin, 'ssh'),
  `#!/bin/sh\necho x >> ${sshLog}\nfor a; do [ "$a" = sh ] && printf '%s\\0' "$@" > ${gatherArgv}; done\nexec /usr/bin/ssh "$@"\n`,
);
chmodSync(join(bin, 'ssh'), 0o755);
const env = {
  ...process.env,
  PATH: `${bin}:${process.env.PATH}`,
  ANSIBLE_HOME: join(work, 'ansible'),
  // Ansible's persistent masters' sockets, here rather than in ~/.ansible/cp, so they can be closed after each run.
  ANSIBLE_SSH_CONTROL_PATH_DIR: join(work, 'ansible-cp'),
  ANSIBLE_LOCAL_TEMP: join(work, 'ansible-tmp'),
  ANSIBLE_HOST_KEY_CHECKING: 'True',
  ANSIBLE_RETRY_FILES_ENABLED: 'False',
  ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
  ANSIBLE_NOCOLOR: '1',
};
/** Ansible's persistent masters (ControlPersist) in its control directory, ended. */
function closeAnsibleMasters() {
  const cp = join(work, 'ansible-cp');
  if (!existsSync(cp)) return;
  for (const sock of readdirSync(cp)) {
    try {
      execFileSync('/usr/bin/ssh', ['-O', 'exit', '-o', `ControlPath=${join(cp, sock)}`, 'ansible-master'], { stdio: 'ignore' });
    } catch {}
  }
}
const sshInvocations = () => (existsSync(sshLog) ? readFileSync(sshLog, 'utf8').split('\n').filter(Boolean).length : 0);

function timed(cmd, argv, extraEnv = {}) {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const p = spawn('/usr/bin/time', ['-f', '%U %S %M', cmd, ...argv], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const kill = setTimeout(() => p.kill('SIGKILL'), 900_000);
    p.on('close', (code) => {
      clearTimeout(kill);
      const ms = performance.now() - t0;
      const last = err.trim().split('\n').at(-1).split(' ').map(Number);
      if (last.length !== 3 || last.some(Number.isNaN)) return rej(new Error(`${cmd}: no GNU time line: ${err.slice(-400)}`));
      res({ ms, cpuMs: (last[0] + last[1]) * 1000, rssKiB: last[2], code, out, err });
    });
  });
}

/** Each host's own count of TCP connections it accepted. */
function passiveOpens(host) {
  const snmp = execFileSync('ip', ['netns', 'exec', host.test.ns, 'cat', '/proc/net/snmp'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith('Tcp:'));
  const names = snmp[0].split(/\s+/);
  return Number(snmp[1].split(/\s+/)[names.indexOf('PassiveOpens')]);
}
const opensOf = (hosts) => hosts.reduce((n, h) => n + passiveOpens(h), 0);

/**
 * `ssh HOST COMMAND...` for every host, `parallel` at a time, as one process (a shell-free xargs); with `stdin`,
 * that file is each ssh's standard input.
 */
function floorArgs(cfg, targets, command, stdin) {
  const script = `import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
const targets = ${JSON.stringify(targets)};
let next = 0, failed = 0;
const one = () => new Promise((r) => { const t = targets[next++]; if (!t) return r(); const p = spawn('ssh', ['-F', ${JSON.stringify(cfg)}, ...t.args, t.host, '--', ...${JSON.stringify(command)}], { stdio: [${stdin ? `openSync(${JSON.stringify(stdin)}, 'r')` : "'ignore'"}, 'ignore', 'ignore'] }); p.on('close', (c) => { if (c !== 0) failed++; r(one()); }); });
await Promise.all(Array.from({ length: ${opt.parallel} }, one));
if (failed) { console.error(failed + ' failed'); process.exit(1); }`;
  const f = join(work, `floor-${targets.length}-${Date.now()}.mjs`);
  writeFileSync(f, script);
  return [f];
}

/** A relay on 127.0.0.1 to each host's sshd, holding every chunk 25 ms each way (50 ms round trip). */
function startRelays(hosts) {
  return Promise.all(
    hosts.map(
      (h) =>
        new Promise((res) => {
          const server = createServer((inbound) => {
            const outbound = connect({ host: h.address, port: 22 });
            const hold = (from, to) => from.on('data', (d) => setTimeout(() => to.write(d), 25));
            hold(inbound, outbound);
            hold(outbound, inbound);
            const end = () => {
              inbound.destroy();
              outbound.destroy();
            };
            inbound.on('close', end).on('error', end);
            outbound.on('close', () => setTimeout(end, 30)).on('error', end);
          });
          server.listen(0, '127.0.0.1', () => res({ server, port: server.address().port, host: h }));
        }),
    ),
  );
}

/** A floor's run, which counts only if every host answered. */
async function floorRun(label, cfg, targets, command, stdin) {
  const r = await timed('node', floorArgs(cfg, targets, command, stdin));
  if (r.code !== 0) throw new Error(`${label}: ${r.err.trim().split('\n').at(-2) ?? 'a floor run failed'}`);
  return r;
}

const results = [];
const row = (what, v) => {
  results.push({ what, ...v });
  console.log(what, JSON.stringify(v));
};

for (const n of opt.hosts) for (const own of opt.onlyOwn ? [true] : opt.own ? [false, true] : [false]) await measure(n, own);

/**
 * The reads floor's script, from the batch plumbline sent (its hex requests): files read by one cat, programs
 * run as they are, link globs listed by one ls, other globs read by one cat each; filtered globs (the
 * per-process files of socket holders) and directory listings left out. Every word is quoted but the globs.
 */
function readsScript(argv) {
  const q = (w) => `'${w.replaceAll("'", "'\\''")}'`;
  if (argv.at(-1) === '-') throw new Error('the batch went on standard input: the reads floor reads it from the arguments only');
  const requests = argv.slice(argv.lastIndexOf('sh') + 4).map((h) => Buffer.from(h, 'hex').toString('utf8').split('\x01'));
  const files = requests.filter((r) => r[0] === 'R').map((r) => q(r[1]));
  const lines = [`cat ${files.join(' ')}`];
  for (const r of requests) {
    if (r[0] === 'X') lines.push(r.slice(3).map(q).join(' '));
    else if (r[0] === 'G' && r.length === 3 && r[1] === 'link') lines.push(`ls -ldq ${r[2]}`);
    else if (r[0] === 'G' && r.length === 3) lines.push(`cat ${r[2]}`);
  }
  // A file or program a host lacks is that host's answer, not a failed floor: only ssh's own failure counts.
  return `${lines.map((l) => `${l} >/dev/null 2>&1 </dev/null`).join('; ')}; exit 0`;
}

async function measure(n, own) {
  const fleet = await startSshFleet({
    hosts: Array.from({ length: n }, (_, i) => ({ name: `h${i}` })),
    ...(own ? { ownProcessTable: opt.own } : {}),
  });
  try {
    for (const delayed of opt.delay && !own ? [false, true] : [false]) {
      const relays = delayed ? await startRelays(fleet.hosts) : [];
      // Through a relay, ssh connects to 127.0.0.1:PORT and checks the host's key under its real address.
      const targets = fleet.hosts.map((h, i) =>
        delayed
          ? { name: h.name, host: '127.0.0.1', port: relays[i].port, args: ['-p', String(relays[i].port), '-o', `HostKeyAlias=${h.address}`], alias: h.address }
          : { name: h.name, host: h.address, args: [] },
      );
      const inv = join(work, `hosts-${n}-${delayed}.ini`);
      writeFileSync(
        inv,
        `[fleet]\n${targets.map((t) => `${t.name} ansible_host=${t.host}${t.port ? ` ansible_port=${t.port} ansible_ssh_common_args='-o HostKeyAlias=${t.alias}'` : ''}`).join('\n')}\n`,
      );
      const label = `${n} hosts${own ? `, each with a process table of its own (${opt.own} idle processes)` : ''}${delayed ? ', 50 ms RTT' : ''}`;
      const rounds = { floor: [], reads: [], gather: [], plumbline: [], ansible: [] };
      for (let r = -opt.warmup; r < opt.rounds; r++) {
        const keep = r >= 0;
        const floor = await floorRun(label, fleet.sshConfig, targets, ['true']);
        if (keep) rounds.floor.push(floor);
        const calls0 = sshInvocations();
        const opens0 = opensOf(fleet.hosts);
        const pl = await timed('node', [
          join(root, 'bin/plumbline.js'),
          'audit',
          '--inventory',
          inv,
          '--ssh-config',
          fleet.sshConfig,
          '--hosts-parallel',
          String(opt.parallel),
          '--format',
          `json=${join(work, 'fleet.json')}`,
          '--no-progress',
        ]);
        const report = JSON.parse(readFileSync(join(work, 'fleet.json'), 'utf8'));
        if (report.summary.unaudited > 0)
          throw new Error(`${label}: ${report.summary.unaudited} hosts not audited: ${JSON.stringify(report.hosts.find((h) => h.fault)?.fault)}`);
        pl.sshPerHost = (sshInvocations() - calls0) / n;
        pl.connectionsPerHost = (opensOf(fleet.hosts) - opens0) / n;
        if (keep) rounds.plumbline.push(pl);
        // The second floor: ssh running plumbline's own remote program with the batch plumbline sent, nothing
        // else (no parse, no verdicts, no tunnel): what any agentless reading of the same facts costs.
        const argv = readFileSync(gatherArgv, 'utf8').split('\0').slice(0, -1);
        const remote = argv.slice(argv.lastIndexOf('sh'));
        const gather = await floorRun(label, fleet.sshConfig, targets, remote, join(root, 'src/transport/ssh/remote.sh'));
        if (keep) rounds.gather.push(gather);
        // ssh hands the remote login shell its words joined by spaces: the script goes as one quoted word.
        const reads = await floorRun(label, fleet.sshConfig, targets, ['sh', '-c', `'${readsScript(argv).replaceAll("'", "'\\''")}'`]);
        if (keep) rounds.reads.push(reads);
        if (opt.ansible) {
          // Ansible as its users run it: its own ssh arguments (one persistent master a host, compression), the
          // fleet's config file added. Its masters are closed after each run, so each run starts cold as
          // plumbline's does.
          const calls = sshInvocations();
          const a = await timed('ansible', ['all', '-i', inv, '-m', 'setup', '-f', String(opt.parallel)], { ANSIBLE_SSH_EXTRA_ARGS: `-F ${fleet.sshConfig}` });
          if (a.code !== 0) throw new Error(`${label}: ansible exited ${a.code}: ${a.out.slice(-600)}`);
          a.sshPerHost = (sshInvocations() - calls) / n;
          closeAnsibleMasters();
          if (keep) rounds.ansible.push(a);
        }
      }
      const med = (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
      };
      const floorMs = med(rounds.floor.map((x) => x.ms));
      const plMs = med(rounds.plumbline.map((x) => x.ms));
      row(label, {
        floorMs: Math.round(floorMs),
        plumblineMs: Math.round(plMs),
        plumblineOverFloor: +(plMs / floorMs).toFixed(2),
        readsFloorMs: Math.round(med(rounds.reads.map((x) => x.ms))),
        readsFloorOverFloor: +(med(rounds.reads.map((x) => x.ms)) / floorMs).toFixed(2),
        gatherFloorMs: Math.round(med(rounds.gather.map((x) => x.ms))),
        plumblineOverGatherFloor: +(plMs / med(rounds.gather.map((x) => x.ms))).toFixed(2),
        ...(opt.ansible
          ? {
              ansibleMs: Math.round(med(rounds.ansible.map((x) => x.ms))),
              ansibleOverPlumbline: +(med(rounds.ansible.map((x) => x.ms)) / plMs).toFixed(2),
              ansibleSshProcessesPerHost: med(rounds.ansible.map((x) => x.sshPerHost)),
            }
          : {}),
        sshProcessesPerHost: med(rounds.plumbline.map((x) => x.sshPerHost)),
        tcpConnectionsPerHost: med(rounds.plumbline.map((x) => x.connectionsPerHost)),
        plumblineCpuMsPerHost: Math.round(med(rounds.plumbline.map((x) => x.cpuMs)) / n),
        // What the auditing machine itself pays (its processes and their ssh clients), beside ssh true's clients:
        // on a real fleet each host reads its facts on its own CPU, and this is what bounds a run.
        floorCpuMsPerHost: Math.round(med(rounds.floor.map((x) => x.cpuMs)) / n),
        auditorCpuOverFloor: +(med(rounds.plumbline.map((x) => x.cpuMs)) / med(rounds.floor.map((x) => x.cpuMs))).toFixed(2),
        plumblinePeakRssMiB: +(med(rounds.plumbline.map((x) => x.rssKiB)) / 1024).toFixed(1),
      });
      for (const r of relays) r.server.close();
    }
  } finally {
    await fleet.destroy();
  }
}

if (opt.json) writeFileSync(opt.json, JSON.stringify(results, null, 2));
rmSync(work, { recursive: true, force: true });
