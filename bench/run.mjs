#!/usr/bin/env node
// plumbline benchmarks: start-up cost, scaling with the number of checks, the per-key-process way of reading
// sysctls, peak memory, and a side-by-side with Lynis. Prints Markdown and writes bench/results.json.
//
//   npm run build && node bench/run.mjs            (also: npm run bench)
//
// Options:
//   --runs N          timed runs per command of the main group, split over the rounds (default 45)
//   --rounds N        the main group is measured in N hyperfine rounds and the times pooled (default 3), so a burst
//                     of load from something else on the machine hits every command a little, not one command a lot
//   --warmup N        warm-up runs per command and round (default 3)
//   --slow-runs N     timed runs of the 600-key per-key-process loops (default 10)
//   --trace-runs N    PLUMBLINE_TRACE=1 runs per scenario for the stage timings (default 15)
//   --rss-runs N      runs per scenario for peak RSS (default 7)
//   --no-lynis        skip Lynis; --lynis-runs N (default 1) runs per Lynis variant
//   --quick           fewer runs everywhere (a smoke test, not figures to publish)
//   --in-place        benchmark bin/ and dist/ where they are, not a snapshot copy (see below)
//   --no-hyperfine    time with the built-in process.hrtime loop even when hyperfine is installed
//   --out FILE        results file (default bench/results.json)
//
// Every command runs under a timeout. Exit codes are checked: a plumbline run must exit 0 (ready) or 1 (not
// ready); anything else means the benchmark measured a failure, and the run says so instead of printing a figure.
//
// By default the built CLI (bin/, dist/, policies/, schemas/, package.json) is copied to a temporary directory
// first and that copy is benchmarked: other people rebuild dist/ while benchmarks run, and a rebuild in the middle
// of a measurement would otherwise be timed as a (fast) crash.
import { spawnSync, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = join(root, 'bench');
const policiesDir = join(benchDir, 'policies');
process.chdir(root);

// ---------------------------------------------------------------------------------------------------------------
// Options

function parseOptions(argv) {
  const o = {
    runs: 45,
    rounds: 3,
    warmup: 3,
    slowRuns: 10,
    traceRuns: 15,
    rssRuns: 7,
    lynis: true,
    lynisRuns: 1,
    inPlace: false,
    out: join(benchDir, 'results.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) usage(`${a} takes a positive integer`);
      return v;
    };
    if (a === '--runs') o.runs = num();
    else if (a === '--rounds') o.rounds = num();
    else if (a === '--warmup') o.warmup = num();
    else if (a === '--slow-runs') o.slowRuns = num();
    else if (a === '--trace-runs') o.traceRuns = num();
    else if (a === '--rss-runs') o.rssRuns = num();
    else if (a === '--lynis-runs') o.lynisRuns = num();
    else if (a === '--no-lynis') o.lynis = false;
    else if (a === '--in-place') o.inPlace = true;
    else if (a === '--no-hyperfine') o.noHyperfine = true;
    else if (a === '--out') o.out = argv[++i] ?? usage('--out takes a file');
    else if (a === '--quick') Object.assign(o, { runs: 6, rounds: 2, warmup: 1, slowRuns: 2, traceRuns: 3, rssRuns: 2 });
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown option ${a}`);
  }
  o.runsPerRound = Math.max(2, Math.ceil(o.runs / o.rounds));
  return o;
}

function usage(err) {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8')
    .split('\n')
    .slice(1, 25)
    .map((l) => l.replace(/^\/\/ ?/, ''))
    .join('\n');
  if (err) {
    process.stderr.write(`bench/run.mjs: ${err}\n`);
    process.exit(2);
  }
  process.stdout.write(`${text}\n`);
  process.exit(0);
}

const opt = parseOptions(process.argv.slice(2));
const log = (s) => process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const stddev = (xs) => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
const stats = (secs) => ({ n: secs.length, median: median(secs), mean: mean(secs), stddev: stddev(secs), min: Math.min(...secs), max: Math.max(...secs) });
const ms = (s, digits = 1) => (Number.isFinite(s) ? `${(s * 1000).toFixed(digits)} ms` : 'n/a');
const fmtTime = (s) => (!Number.isFinite(s) ? 'n/a' : s >= 10 ? `${s.toFixed(1)} s` : s >= 1 ? `${s.toFixed(2)} s` : ms(s));
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);
const fx = (r, d = 2) => (Number.isFinite(r) ? `${r.toFixed(d)}×` : 'n/a');

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = join(dir || '.', cmd);
    try {
      if (statSync(p).isFile()) return p;
    } catch {}
  }
  return undefined;
}

function tryRun(file, args, timeout = 10_000) {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout }).trim();
  } catch {
    return undefined;
  }
}

const loadavg = () => os.loadavg().map((x) => Number(x.toFixed(2)));

/** Quote one argument for hyperfine's shell-free word splitting (and for display). */
const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

// ---------------------------------------------------------------------------------------------------------------
// Preconditions and the snapshot

if (!existsSync(join(root, 'dist', 'cli.cjs'))) {
  log('bench/run.mjs: dist/cli.cjs is missing; run `npm run build && node bench/run.mjs`');
  process.exit(2);
}
const REQUIRED = ['checks-10.yaml', 'checks-1000.yaml', 'sysctl-10.yaml', 'sysctl-600.yaml', 'sysctl-keys-10.txt', 'sysctl-keys-600.txt'];
if (REQUIRED.some((f) => !existsSync(join(policiesDir, f)))) {
  log('bench/policies/ is incomplete; generating it (node bench/gen-policies.mjs)');
  execFileSync(process.execPath, [join(benchDir, 'gen-policies.mjs')], { stdio: 'inherit', timeout: 120_000 });
}

const NODE = process.execPath;
let cliRoot = root;
let snapshotDir;
if (!opt.inPlace) {
  snapshotDir = mkdtempSync(join(os.tmpdir(), 'plumbline-bench-'));
  for (const p of ['bin', 'dist', 'policies', 'schemas', 'package.json'])
    cpSync(join(root, p), join(snapshotDir, p), { recursive: true, preserveTimestamps: true });
  cliRoot = snapshotDir;
}
const cleanup = () => {
  if (snapshotDir) rmSync(snapshotDir, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const CLI = join(cliRoot, 'bin', 'plumbline.js');
const pol = (f) => relative(root, join(policiesDir, f));

function distHash() {
  const h = createHash('sha256');
  const walk = (d) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(n).update(readFileSync(p));
    }
  };
  walk(join(cliRoot, 'dist'));
  return h.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------------------------------------------------------
// Machine facts

const machine = {
  nproc: os.availableParallelism ? os.availableParallelism() : os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  memTotalMiB: Math.round(os.totalmem() / 2 ** 20),
  kernel: `${os.type()} ${os.release()}`,
  node: process.version,
  hyperfine: tryRun('hyperfine', ['--version']),
  os: (() => {
    try {
      return /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    } catch {
      return undefined;
    }
  })(),
  uid: process.getuid?.(),
  loadavgAtStart: loadavg(),
};
const repo = {
  commit: tryRun('git', ['rev-parse', '--short', 'HEAD']),
  uncommittedSrcFiles: (tryRun('git', ['status', '--porcelain', '--', 'src', 'scripts']) ?? '').split('\n').filter(Boolean).length,
  distSha256: distHash(),
  benchmarked: opt.inPlace ? 'bin/ and dist/ in place' : 'a copy of bin/, dist/, policies/, schemas/ taken at start',
};

// ---------------------------------------------------------------------------------------------------------------
// The commands

const sysctlKeys = (n) =>
  readFileSync(join(policiesDir, `sysctl-keys-${n}.txt`), 'utf8')
    .split('\n')
    .filter(Boolean);
const keys600 = sysctlKeys(600);
const exists = (k) => existsSync(`/proc/sys/${k.replace(/\./g, '/')}`);
const presentKeys = keys600.filter(exists).length;
// A per-key loop fails on a key this host lacks (modules come and go), so it gets the keys that exist here; plumbline
// reads all of them (a missing key is a result too), which is at most a few reads more on its side.
const keysDir = mkdtempSync(join(os.tmpdir(), 'plumbline-bench-keys-'));
const keyFile = (n) => {
  const keys = sysctlKeys(n);
  if (keys.every(exists)) return { path: pol(`sysctl-keys-${n}.txt`), count: keys.length };
  const path = join(keysDir, `sysctl-keys-${n}.txt`);
  const present = keys.filter(exists);
  writeFileSync(path, `${present.join('\n')}\n`);
  return { path, count: present.length };
};
const k10 = keyFile(10);
const k600 = keyFile(600);
process.on('exit', () => rmSync(keysDir, { recursive: true, force: true }));
const policyChecks = (f) => (readFileSync(join(policiesDir, f), 'utf8').match(/^ {2}- id: /gm) ?? []).length;

const PL = { ok: [0, 1] }; // plumbline: ready or not ready; 2 (policy error) and 3 (could not run) are failures
const OK0 = { ok: [0] };
const S = {
  bare: { name: 'bare node', label: '(a) `node -e 0`', argv: [NODE, '-e', '0'], ...OK0 },
  floor: { name: 'floor', label: "`node bench/floor.cjs` (the default audit's host reads and nft, nothing else)", argv: [NODE, 'bench/floor.cjs'], ...OK0 },
  parse1000: {
    name: 'parse floor checks-1000',
    label: `\`node bench/parse-floor.cjs ${pol('checks-1000.yaml')}\` (only the YAML read)`,
    argv: [NODE, 'bench/parse-floor.cjs', pol('checks-1000.yaml'), join(cliRoot, 'dist', 'lib', 'yaml.cjs')],
    ...OK0,
  },
  version: { name: 'plumbline --version', label: '`plumbline --version` (CLI load only)', argv: [NODE, CLI, '--version'], ...OK0 },
  baseline: {
    name: 'audit baseline',
    label: '(b) `plumbline audit` (built-in baseline, precompiled)',
    argv: [NODE, CLI, 'audit'],
    ...PL,
    policy: 'builtin:baseline',
  },
  c10: {
    name: 'audit checks-10',
    label: `(c) \`plumbline audit -p ${pol('checks-10.yaml')}\``,
    argv: [NODE, CLI, 'audit', '-p', pol('checks-10.yaml')],
    ...PL,
    policy: 'checks-10.yaml',
  },
  c1000: {
    name: 'audit checks-1000',
    label: `(d) \`plumbline audit -p ${pol('checks-1000.yaml')}\``,
    argv: [NODE, CLI, 'audit', '-p', pol('checks-1000.yaml')],
    ...PL,
    policy: 'checks-1000.yaml',
  },
  pl10: {
    name: 'plumbline sysctl-10',
    label: `\`plumbline audit -p ${pol('sysctl-10.yaml')}\` (10 sysctl checks)`,
    argv: [NODE, CLI, 'audit', '-p', pol('sysctl-10.yaml')],
    ...PL,
    policy: 'sysctl-10.yaml',
  },
  pl600: {
    name: 'plumbline sysctl-600',
    label: `\`plumbline audit -p ${pol('sysctl-600.yaml')}\` (600 sysctl checks)`,
    argv: [NODE, CLI, 'audit', '-p', pol('sysctl-600.yaml')],
    ...PL,
    policy: 'sysctl-600.yaml',
  },
  bash10: {
    name: 'per-key bash 10',
    label: `(e) bash loop, one \`sysctl -n KEY\` per key, ${k10.count} keys`,
    argv: ['bash', 'bench/per-key-sysctl.sh', k10.path],
    ...OK0,
  },
  node10: {
    name: 'per-key node 10',
    label: `(e) Node loop, \`execFileSync(sysctl, [-n, KEY])\` per key, ${k10.count} keys`,
    argv: [NODE, 'bench/per-key-sysctl.mjs', k10.path],
    ...OK0,
  },
  bash600: {
    name: 'per-key bash 600',
    label: `(e) bash loop, one \`sysctl -n KEY\` per key, ${k600.count} keys`,
    argv: ['bash', 'bench/per-key-sysctl.sh', k600.path],
    ...OK0,
  },
  node600: {
    name: 'per-key node 600',
    label: `(e) Node loop, \`execFileSync(sysctl, [-n, KEY])\` per key, ${k600.count} keys`,
    argv: [NODE, 'bench/per-key-sysctl.mjs', k600.path],
    ...OK0,
  },
};
const MAIN = ['bare', 'floor', 'parse1000', 'version', 'baseline', 'c10', 'c1000', 'pl10', 'pl600', 'bash10', 'node10'];
const SLOW = ['bash600', 'node600'];
const display = (s) =>
  s.argv
    .map((a) => (a === NODE ? 'node' : a === CLI ? 'bin/plumbline.js' : a))
    .map(quote)
    .join(' ');

// ---------------------------------------------------------------------------------------------------------------
// Sanity pass: every command once, exit codes checked, plus what each plumbline scenario evaluated.

log(`machine: ${machine.nproc} CPUs (${machine.cpu}), ${machine.kernel}, node ${machine.node}, load ${machine.loadavgAtStart.join(' ')}`);
log(`benchmarking ${repo.benchmarked}${snapshotDir ? ` (${snapshotDir})` : ''}; dist sha256 ${repo.distSha256}`);
if (presentKeys < keys600.length) {
  log(
    `note: ${keys600.length - presentKeys} of the ${keys600.length} sysctl keys in bench/policies do not exist on this host (generated elsewhere?); ` +
      `they are read as "missing" by plumbline and left out of the per-key loops (${k600.count} keys). ` +
      "Regenerate with `node bench/gen-policies.mjs` for a policy of this host's keys.",
  );
}
const problems = [];
const scenarios = {};
for (const [id, s] of Object.entries(S)) {
  const r = spawnSync(s.argv[0], s.argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, maxBuffer: 256 * 2 ** 20 });
  const info = { name: s.name, label: s.label, command: display(s), expectedExit: s.ok, sanityExit: r.status };
  if (!s.ok.includes(r.status)) {
    problems.push(`${display(s)} exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}`);
  }
  if (s.policy) {
    const j = spawnSync(s.argv[0], [...s.argv.slice(1), '--format', 'json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
      maxBuffer: 256 * 2 ** 20,
    });
    try {
      const rep = JSON.parse(j.stdout);
      info.checks = rep.results.length;
      info.counts = rep.counts;
    } catch {
      problems.push(`${display(s)} --format json did not print a report`);
    }
  }
  scenarios[id] = info;
}
if (problems.length) {
  log('bench/run.mjs: these commands do not run as a benchmark expects, so no figures would mean anything:');
  for (const p of problems) log(`  - ${p}`);
  process.exit(3);
}

// ---------------------------------------------------------------------------------------------------------------
// Wall time: hyperfine, or a timing loop of our own

const hyperfine = opt.noHyperfine ? undefined : which('hyperfine');
const timeoutBin = which('timeout');

function withTimeout(argv, seconds) {
  return timeoutBin ? [timeoutBin, '-k', '10', String(seconds), ...argv] : argv;
}

function runHyperfine(ids, runs, warmup, limitSeconds) {
  const out = join(os.tmpdir(), `plumbline-bench-${process.pid}-${Date.now()}.json`);
  const args = ['-N', '--style', 'basic', '-i', '-w', String(warmup), '-r', String(runs), '--export-json', out];
  for (const id of ids) args.push('-n', S[id].name, S[id].argv.map(quote).join(' '));
  const argv = withTimeout([hyperfine, ...args], limitSeconds);
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 2, 'inherit'] }); // its progress to stderr: stdout is the Markdown
  if (r.status !== 0) throw new Error(`hyperfine exited ${r.status ?? r.signal} (timeout ${limitSeconds} s?)`);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out, { force: true });
  return Object.fromEntries(
    ids.map((id, i) => [id, { times: j.results[i].times, exitCodes: j.results[i].exit_codes ?? [], user: j.results[i].user, system: j.results[i].system }]),
  );
}

function runLoop(ids, runs, warmup, limitSeconds) {
  const res = {};
  for (const id of ids) {
    const s = S[id];
    const times = [];
    const exitCodes = [];
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(s.argv[0], s.argv.slice(1), { stdio: 'ignore', timeout: limitSeconds * 1000 });
      const dt = Number(process.hrtime.bigint() - t0) / 1e9;
      if (i >= warmup) {
        times.push(dt);
        exitCodes.push(r.status ?? -1);
      }
    }
    res[id] = { times, exitCodes };
  }
  return res;
}

const timer = hyperfine ? runHyperfine : runLoop;
const wall = Object.fromEntries([...MAIN, ...SLOW].map((id) => [id, { times: [], exitCodes: [], roundMedians: [] }]));
log(
  `\nwall time with ${hyperfine ? 'hyperfine' : 'a process.hrtime loop (hyperfine not found)'}: ` +
    `${opt.rounds} rounds × ${opt.runsPerRound} runs (+${opt.warmup} warm-up) of ${MAIN.length} commands, then ${opt.slowRuns} runs of the 600-key loops`,
);
for (let round = 1; round <= opt.rounds; round++) {
  log(`\n--- round ${round}/${opt.rounds} (load ${loadavg().join(' ')})`);
  const r = timer(MAIN, opt.runsPerRound, opt.warmup, 900);
  for (const id of MAIN) {
    wall[id].times.push(...r[id].times);
    wall[id].exitCodes.push(...r[id].exitCodes);
    wall[id].roundMedians.push(median(r[id].times));
  }
}
log(`\n--- the 600-key per-key-process loops (load ${loadavg().join(' ')})`);
{
  const r = timer(SLOW, opt.slowRuns, 1, 1800);
  for (const id of SLOW) Object.assign(wall[id], { times: r[id].times, exitCodes: r[id].exitCodes, roundMedians: [median(r[id].times)] });
}
for (const [id, w] of Object.entries(wall)) {
  const bad = w.exitCodes.filter((c) => !S[id].ok.includes(c));
  if (bad.length) problems.push(`${S[id].name}: ${bad.length} of ${w.exitCodes.length} timed runs exited with ${[...new Set(bad)].join(', ')}`);
  scenarios[id].wall = {
    ...stats(w.times),
    roundMedians: w.roundMedians,
    exitCodes: [...new Set(w.exitCodes)].sort(),
    times: w.times.map((t) => Number(t.toFixed(5))),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Where the time goes: PLUMBLINE_TRACE=1 stage timings (ms since the process's time origin)

function traceOnce(s) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(s.argv[0], s.argv.slice(1), {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
    env: { ...process.env, PLUMBLINE_TRACE: '1' },
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const marks = [...(r.stderr ?? '').matchAll(/^trace ([\d.]+) ms (.+)$/gm)].map((m) => [m[2], Number(m[1])]);
  return { wallMs, marks };
}

function summarizeTrace(runs) {
  const labels = [];
  for (const run of runs) for (const [l] of run.marks) if (!labels.includes(l)) labels.push(l);
  const at = Object.fromEntries(labels.map((l) => [l, median(runs.map((r) => r.marks.find(([x]) => x === l)?.[1]).filter((v) => v !== undefined))]));
  const stages = [];
  let prev = ['process start (time origin)', 0];
  for (const l of labels) {
    stages.push({ stage: `${prev[0]} → ${l}`, ms: at[l] - prev[1] });
    prev = [l, at[l]];
  }
  const wallMs = median(runs.map((r) => r.wallMs));
  stages.push({ stage: `${prev[0]} → process exit (as the parent sees it)`, ms: wallMs - prev[1] });
  return { runs: runs.length, marks: at, stages, wallMs };
}

const TRACED = ['baseline', 'c10', 'c1000', 'pl10', 'pl600'];
log(`\nstage timings: PLUMBLINE_TRACE=1, ${opt.traceRuns} runs per scenario (load ${loadavg().join(' ')})`);
// Round-robin over the scenarios and bare node (after one warm-up each), so a burst of load lands on all alike.
// Bare node reports when its script starts, for the same comparison: ms after the time origin, then to exit.
const BARE_TRACE = [NODE, '-e', 'process.stderr.write(`trace ${performance.now().toFixed(1)} ms script\\n`)'];
const traceRaw = Object.fromEntries([...TRACED, 'bare'].map((id) => [id, []]));
const traceAny = (id) => (id === 'bare' ? traceOnce({ argv: BARE_TRACE }) : traceOnce(S[id]));
for (const id of Object.keys(traceRaw)) traceAny(id);
for (let i = 0; i < opt.traceRuns; i++) for (const id of Object.keys(traceRaw)) traceRaw[id].push(traceAny(id));
const traces = Object.fromEntries(TRACED.map((id) => [id, summarizeTrace(traceRaw[id])]));
{
  const b = summarizeTrace(traceRaw.bare);
  traces.bare = { runs: b.runs, scriptStartMs: b.marks.script, wallMs: b.wallMs };
}

// ---------------------------------------------------------------------------------------------------------------
// Peak RSS

const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
function peakRss(id, n) {
  const s = S[id];
  const kib = [];
  for (let i = 0; i < n; i++) {
    if (gnuTime) {
      const r = spawnSync(gnuTime, ['-f', 'PEAKRSS %M', ...s.argv], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
      const m = /PEAKRSS (\d+)/.exec(r.stderr ?? '');
      if (m) kib.push(Number(m[1]));
    } else {
      // No GNU time: the child reports its own VmHWM at exit through a preloaded module.
      const hook = join(benchDir, 'rss-hook.mjs');
      const argv = s.argv[0] === NODE ? [NODE, '--import', hook, ...s.argv.slice(1)] : s.argv;
      const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
      const m = /PEAKRSS (\d+)/.exec(r.stderr ?? '');
      if (m) kib.push(Number(m[1]));
    }
  }
  return {
    method: gnuTime ? '/usr/bin/time -f %M' : 'VmHWM from /proc/self/status at exit (bench/rss-hook.mjs)',
    runs: kib.length,
    medianMiB: median(kib) / 1024,
    maxMiB: Math.max(...kib) / 1024,
  };
}
const RSS = ['bare', 'baseline', 'c10', 'c1000', 'pl600'];
log(`peak RSS: ${opt.rssRuns} runs per scenario`);
const rss = Object.fromEntries(RSS.map((id) => [id, peakRss(id, opt.rssRuns)]));

// ---------------------------------------------------------------------------------------------------------------
// Lynis, side by side

function baselineChecks() {
  // The built-in baseline as written: its checks and selectors (the JSON report does not carry selectors).
  const text = readFileSync(join(cliRoot, 'policies', 'baseline.yaml'), 'utf8');
  const checks = [];
  let cur;
  for (const line of text.split('\n')) {
    const id = /^ {2}- id: (\S+)/.exec(line);
    if (id) checks.push((cur = { id: id[1] }));
    const sel = /^ {4}(sysctl|limits|listener|listeners|tcpStates|netstat|interface|route|firewall): (.+)$/.exec(line);
    if (sel && cur) Object.assign(cur, { kind: sel[1], arg: sel[2].trim() });
  }
  return checks;
}

/** Does Lynis's report or log carry the fact this baseline check judges? yes / partial / no, with the evidence. */
function lynisCovers(check, report, logText) {
  const first = (re, text) => re.exec(text)?.[0]?.trim();
  switch (check.kind) {
    case 'sysctl': {
      const key = check.arg.replace(/[.]/g, '\\.');
      const e = first(new RegExp(`^.*key ${key}\\b.*$`, 'm'), logText);
      return e && !/does not exist/.test(e) ? ['yes', e.replace(/^\S+ \S+ /, '')] : ['no', ''];
    }
    case 'listener': {
      const e = first(/^network_listen\[\]=.*$/m, report);
      return e ? ['yes', `${e} (every listening socket with its address; no judgement per port)`] : ['no', ''];
    }
    case 'listeners': {
      // listen.not-root needs the owning user of each socket; Lynis lists sockets, with a process name at most.
      return ['no', 'network_listen[] has no user'];
    }
    case 'firewall': {
      const chain = /chain: (\w+)/.exec(check.arg)?.[1]?.toUpperCase() ?? 'INPUT';
      const e = first(new RegExp(`^.*Result: iptables .*${chain}.*policy.*$`, 'm'), logText);
      return e ? ['yes', e.replace(/^\S+ \S+ /, '')] : ['no', ''];
    }
    case 'tcpStates': {
      const e = first(/^.*connections are in WAIT state.*$/m, logText);
      return e ? ['partial', `${e.replace(/^\S+ \S+ /, '')} (all *_WAIT states together)`] : ['no', ''];
    }
    case 'route': {
      const e = first(/^default_gateway\[\]=.*$/m, report);
      return e ? ['yes', e] : ['no', ''];
    }
    case 'netstat': {
      const e = first(/^.*(ListenOverflows|RetransSegs|retransmi).*$/im, logText);
      return e ? ['yes', e] : ['no', ''];
    }
    case 'interface': {
      const e = first(/^.*(rx_errors|RX errors|tx_errors|errors:).*$/m, logText);
      return e ? ['yes', e] : ['no', 'interfaces are listed (network_interface[]), their error counters are not'];
    }
    case 'limits': {
      const e = first(/^.*(Max open files|nofile).*$/m, logText);
      return e ? ['yes', e] : ['no', ''];
    }
    default:
      return ['no', ''];
  }
}

const LYNIS_VARIANTS = [
  { groups: 'networking', why: 'the networking group, as asked' },
  { groups: 'networking firewalls kernel_hardening', why: "the groups that hold the baseline's facts (sysctls, firewall)" },
];
let lynis = { skipped: 'not installed (apt-get install -y lynis)' };
const lynisBin = which('lynis');
if (!opt.lynis) lynis = { skipped: '--no-lynis' };
else if (lynisBin) {
  lynis = { version: tryRun(lynisBin, ['--version']), variants: [] };
  const checks = baselineChecks();
  for (const v of LYNIS_VARIANTS) {
    const dir = mkdtempSync(join(os.tmpdir(), 'plumbline-bench-lynis-'));
    const argv = [
      lynisBin,
      'audit',
      'system',
      '--quick',
      '--tests-from-group',
      v.groups,
      '--no-colors',
      '--logfile',
      join(dir, 'lynis.log'),
      '--report-file',
      join(dir, 'report.dat'),
    ];
    const times = [];
    const codes = [];
    log(`lynis: ${v.groups} (${opt.lynisRuns} run(s), 240 s timeout each; load ${loadavg().join(' ')})`);
    for (let i = 0; i < opt.lynisRuns; i++) {
      const full = withTimeout(argv, 240);
      const t0 = process.hrtime.bigint();
      const r = spawnSync(full[0], full.slice(1), { stdio: 'ignore', timeout: 260_000 });
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
      codes.push(r.status ?? -1);
    }
    const report = existsSync(join(dir, 'report.dat')) ? readFileSync(join(dir, 'report.dat'), 'utf8') : '';
    const logText = existsSync(join(dir, 'lynis.log')) ? readFileSync(join(dir, 'lynis.log'), 'utf8') : '';
    const coverage = checks.map((c) => {
      const [reported, evidence] = lynisCovers(c, report, logText);
      return { id: c.id, selector: `${c.kind}: ${c.arg}`, reported, evidence };
    });
    const slow = [...report.matchAll(/^slow_test\[\]=(.*)$/gm)].map((m) => m[1]);
    lynis.variants.push({
      groups: v.groups,
      why: v.why,
      command: ['lynis', ...argv.slice(1)]
        .map((a) => (a.startsWith(dir) ? a.replace(dir, '$TMP') : a))
        .map(quote)
        .join(' '),
      wall: stats(times),
      exitCodes: [...new Set(codes)],
      testsDone: Number(/^lynis_tests_done=(\d+)/m.exec(report)?.[1] ?? NaN),
      slowTests: slow,
      covered: coverage.filter((c) => c.reported === 'yes').length,
      partial: coverage.filter((c) => c.reported === 'partial').length,
      of: coverage.length,
      coverage,
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Ratios

const med = (id) => scenarios[id].wall.median;
const mn = (id) => scenarios[id].wall.min;
const tr = (id, from, to) => (traces[id]?.marks?.[to] ?? NaN) - (from ? (traces[id]?.marks?.[from] ?? NaN) : 0);
const ratios = [
  { name: 'audit (baseline) / bare node', value: ratio(med('baseline'), med('bare')), atMin: ratio(mn('baseline'), mn('bare')), target: 1.8 },
  { name: 'audit (baseline) / floor', value: ratio(med('baseline'), med('floor')), atMin: ratio(mn('baseline'), mn('floor')), target: 1.25 },
  {
    name: 'audit -p checks-1000 / (parse floor + audit -p checks-10)',
    value: ratio(med('c1000'), med('parse1000') + med('c10')),
    atMin: ratio(mn('c1000'), mn('parse1000') + mn('c10')),
    target: 1.5,
  },
  { name: 'audit -p checks-10 / bare node', value: ratio(med('c10'), med('bare')), atMin: ratio(mn('c10'), mn('bare')) },
  { name: 'audit -p checks-1000 / audit -p checks-10', value: ratio(med('c1000'), med('c10')), atMin: ratio(mn('c1000'), mn('c10')) },
  { name: 'audit -p checks-1000 / audit (baseline)', value: ratio(med('c1000'), med('baseline')), atMin: ratio(mn('c1000'), mn('baseline')) },
  { name: 'per-key bash loop / plumbline, 600 sysctl keys', value: ratio(med('bash600'), med('pl600')), atMin: ratio(mn('bash600'), mn('pl600')) },
  { name: 'per-key Node loop / plumbline, 600 sysctl keys', value: ratio(med('node600'), med('pl600')), atMin: ratio(mn('node600'), mn('pl600')) },
  { name: 'per-key bash loop / plumbline, 10 sysctl keys', value: ratio(med('bash10'), med('pl10')), atMin: ratio(mn('bash10'), mn('pl10')) },
  { name: 'per-key Node loop / plumbline, 10 sysctl keys', value: ratio(med('node10'), med('pl10')), atMin: ratio(mn('node10'), mn('pl10')) },
];
for (const r of ratios) if (r.target !== undefined) r.met = r.value <= r.target;
// The sysctl reads alone, in process: "policy loaded" → "facts ready" of the sysctl-only policies.
const round1 = (x) => Math.round(x * 10) / 10;
const inProcess = {
  sysctl600CollectMs: round1(tr('pl600', 'policy loaded', 'facts ready')),
  sysctl10CollectMs: round1(tr('pl10', 'policy loaded', 'facts ready')),
};
inProcess.perKeyBash600OverCollect = round1(ratio(med('bash600') * 1000, inProcess.sysctl600CollectMs));

// ---------------------------------------------------------------------------------------------------------------
// Markdown

const lines = [];
const P = (s = '') => lines.push(s);
const row = (cells) => P(`| ${cells.join(' | ')} |`);
P('## plumbline benchmarks');
P();
P(
  `${machine.nproc} CPUs (${machine.cpu}), ${machine.memTotalMiB} MiB, ${machine.kernel}, ${machine.os ?? ''}, node ${machine.node}, ${machine.hyperfine ?? 'no hyperfine (own timing loop)'}; ` +
    `uid ${machine.uid}; load average ${machine.loadavgAtStart.join(' ')} at start, ${loadavg().join(' ')} at the end. ` +
    `Commit ${repo.commit ?? '?'}${repo.uncommittedSrcFiles ? ` with ${repo.uncommittedSrcFiles} uncommitted file(s) in src/ or scripts/` : ''}, dist sha256 ${repo.distSha256}.`,
);
P();
P(
  `### Wall time (whole process, ${hyperfine ? '`hyperfine -N`' : 'own process.hrtime loop'}; ${opt.rounds} rounds × ${opt.runsPerRound} runs + ${opt.warmup} warm-up per round; the 600-key loops ${opt.slowRuns} runs)`,
);
P();
row(['command', 'checks', 'median', 'mean ± σ', 'min', 'round medians', 'exit']);
row(['---', '---:', '---:', '---:', '---:', '---', '---']);
for (const id of [...MAIN, ...SLOW]) {
  const s = scenarios[id];
  const w = s.wall;
  row([
    s.label,
    s.checks ?? '',
    `**${fmtTime(w.median)}**`,
    `${fmtTime(w.mean)} ± ${fmtTime(w.stddev)}`,
    fmtTime(w.min),
    w.roundMedians.map(fmtTime).join(', '),
    w.exitCodes.join(','),
  ]);
}
P();
P('### Ratios');
P();
row(['ratio', 'of medians', 'of minimums', 'target']);
row(['---', '---:', '---:', '---']);
for (const r of ratios) row([r.name, `**${fx(r.value)}**`, fx(r.atMin), r.target === undefined ? '' : `≤ ${r.target}× — ${r.met ? 'met' : '**missed**'}`]);
P();
P(
  `Overhead over bare node (medians): baseline audit +${ms(med('baseline') - med('bare'), 0)}, checks-10 +${ms(med('c10') - med('bare'), 0)}, ` +
    `checks-1000 +${ms(med('c1000') - med('bare'), 0)}; \`--version\` alone +${ms(med('version') - med('bare'), 0)}.`,
);
P(
  `In process, reading the 600 sysctl keys (trace "policy loaded" → "facts ready" of sysctl-600.yaml) takes ${inProcess.sysctl600CollectMs.toFixed(1)} ms; ` +
    `the per-key bash loop needs ${fmtTime(med('bash600'))} for the same keys (${fx(inProcess.perKeyBash600OverCollect, 0)}).`,
);
P();
P(`### Where the time goes (PLUMBLINE_TRACE=1, median of ${opt.traceRuns} runs, ms)`);
P();
const stageNames = [...new Set(TRACED.flatMap((id) => traces[id].stages.map((s) => s.stage)))];
row(['stage', ...TRACED.map((id) => S[id].name)]);
row(['---', ...TRACED.map(() => '---:')]);
for (const st of stageNames) row([st, ...TRACED.map((id) => traces[id].stages.find((s) => s.stage === st)?.ms?.toFixed(1) ?? '')]);
row(['**wall (parent)**', ...TRACED.map((id) => `**${traces[id].wallMs.toFixed(1)}**`)]);
P();
P(
  `Bare \`node -e\` in the same loop: its script starts ${traces.bare.scriptStartMs.toFixed(1)} ms after the time origin and the parent sees it exit ${(traces.bare.wallMs - traces.bare.scriptStartMs).toFixed(1)} ms later (wall ${traces.bare.wallMs.toFixed(1)} ms). ` +
    "Compare the first and last rows: the rest is plumbline's own.",
);
P();
P(`### Peak RSS (${rss.bare.method}, ${opt.rssRuns} runs)`);
P();
row(['command', 'median', 'max']);
row(['---', '---:', '---:']);
for (const id of RSS) row([S[id].label, `${rss[id].medianMiB.toFixed(1)} MiB`, `${rss[id].maxMiB.toFixed(1)} MiB`]);
P();
P('### Lynis, side by side');
P();
if (lynis.skipped) P(`Skipped: ${lynis.skipped}.`);
else {
  row(['tool and scope', 'wall', 'tests', "baseline facts reported (of plumbline's 28)"]);
  row(['---', '---:', '---:', '---']);
  row(['plumbline `audit` (built-in baseline)', fmtTime(med('baseline')), `${scenarios.baseline.checks} checks`, `${scenarios.baseline.checks} (judged)`]);
  for (const v of lynis.variants) {
    row([
      `Lynis ${lynis.version} \`${v.command}\``,
      `${fmtTime(v.wall.median)}${v.wall.n > 1 ? ` (min ${fmtTime(v.wall.min)})` : ''}`,
      String(v.testsDone),
      `${v.covered} yes, ${v.partial} partial, ${v.of - v.covered - v.partial} no`,
    ]);
  }
  P();
  const last = lynis.variants[lynis.variants.length - 1];
  P(
    `Per check (\`${last.groups}\`): ` +
      last.coverage.map((c) => `${c.id} ${c.reported === 'yes' ? '✓' : c.reported === 'partial' ? '½' : '✗'}`).join(', ') +
      '.',
  );
  const slow = lynis.variants.flatMap((v) => v.slowTests.map((t) => `${t.replace(',', ' ')} s (${v.groups})`));
  if (slow.length) P(`Lynis's own slow-test notes: ${slow.join('; ')}.`);
}
P();
if (problems.length) {
  P('### Problems');
  P();
  for (const p of problems) P(`- ${p}`);
  P();
}

const markdown = lines.join('\n');
process.stdout.write(`\n${markdown}\n`);

const results = {
  generatedAt: new Date().toISOString(),
  command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  options: opt,
  timer: hyperfine ? `${machine.hyperfine} -N` : 'process.hrtime loop around spawnSync',
  machine: { ...machine, loadavgAtEnd: loadavg() },
  repo,
  policies: {
    sysctlKeysInPolicy: keys600.length,
    sysctlKeysPresentOnThisHost: presentKeys,
    checks: Object.fromEntries(REQUIRED.filter((f) => f.endsWith('.yaml')).map((f) => [f, policyChecks(f)])),
  },
  scenarios,
  ratios,
  inProcess,
  stages: traces,
  peakRss: rss,
  lynis,
  problems,
  markdown,
};
writeFileSync(opt.out, `${JSON.stringify(results, null, 2)}\n`);
log(`\nwrote ${opt.out.startsWith(root) ? relative(root, opt.out) : opt.out}`);
process.exitCode = problems.length ? 1 : 0;
