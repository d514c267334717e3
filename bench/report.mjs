#!/usr/bin/env node
// Report formats for a 5,000-check report, beside the audit itself (whole-process wall times):
//
//   (a) `plumbline report big.json --format X=FILE` for every format X, one process per format, and one
//       process rendering every format at once
//   (b) `plumbline report big.json --format sarif=FILE`, the one format a CI job most often adds
//   (c) the audits beside them: `audit --facts SNAP -p gen.yaml --format json=FILE` (the audit that made
//       big.json), `audit --facts SNAP --format json=FILE` (the built-in baseline) and the default host audit
//       `audit --no-progress --format json=/dev/null`; and the floors `node -e 0`, `plumbline --version`
//
//   npm run build && node bench/report.mjs [--runs N] [--checks N] [--keep DIR]
//
// big.json is made by the real CLI: a generated policy of --checks (5,000) checks cycled over the facts
// fixtures/snapshots/bad.json holds (its sysctl keys, listeners on 40 ports, netstat counters, interfaces,
// TCP states; every severity, four areas, about a quarter failing) judged with
// `audit --facts fixtures/snapshots/bad.json -p gen.yaml --format json=big.json`. Runs are interleaved
// round-robin (every command once per round, N rounds, one warm-up round), so a burst of load lands on all
// of them alike. The CLI runs from a snapshot copy of bin/ dist/ policies/ schemas/ package.json, since others
// rebuild dist/ while benchmarks run. Every run's exit code is checked (0 or 1; report exits 1 for a
// not-ready report). A format the CLI cannot render yet ("not written yet") is listed as such, not timed.
// --keep DIR keeps gen.yaml, big.json and one output per format there.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
const argv = process.argv.slice(2);
const opt = (name, d) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : d);
const runs = Math.min(20, Math.max(3, Number(opt('--runs', 11))));
const nChecks = Number(opt('--checks', 5000));
const keep = opt('--keep', undefined);
const NODE = process.execPath;
const SNAP = 'fixtures/snapshots/bad.json';
const FORMATS = ['pretty', 'json', 'junit', 'sarif', 'markdown', 'html', 'prometheus'];
const EXT = { pretty: 'txt', json: 'json', junit: 'xml', sarif: 'sarif', markdown: 'md', html: 'html', prometheus: 'prom' };

const tmp = mkdtempSync(join(os.tmpdir(), 'plumbline-report-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
if (!existsSync(join(root, 'dist', 'cli.cjs'))) {
  console.error('dist/cli.cjs is missing; build it first (npm run build)');
  process.exit(2);
}
const snap = join(tmp, 'cli');
for (const p of ['bin', 'dist', 'policies', 'schemas', 'package.json']) cpSync(join(root, p), join(snap, p), { recursive: true, preserveTimestamps: true });
const CLI = join(snap, 'bin', 'plumbline.js');
const out = join(tmp, 'out');
mkdirSync(out);

// --- the generated policy ---------------------------------------------------------------------------------
const facts = JSON.parse(readFileSync(SNAP, 'utf8'));
const sysctls = Object.entries(facts.sysctl).filter(([, v]) => typeof v.value === 'string');
const counters = Object.keys(facts.netstat.TcpExt)
  .slice(0, 60)
  .map((c) => `TcpExt.${c}`);
const SEV = ['critical', 'high', 'medium', 'low', 'info'];
const STATES = ['ESTABLISHED', 'SYN_RECV', 'TIME_WAIT', 'CLOSE_WAIT', 'FIN_WAIT2'];
const PORTS = [22, 80, 443, 3306, 5432, 6379, 9200, 11211, 27017, ...Array.from({ length: 31 }, (_, i) => 8000 + i)];
const q = (s) => JSON.stringify(s);
function check(i) {
  const sev = SEV[i % SEV.length];
  const head = [`  - id: gen.c${String(i).padStart(5, '0')}`, `    severity: ${sev}`];
  const text = (what) => [
    `    title: ${q(`Generated check ${i}: ${what}`)}`,
    `    rationale: ${q(`Check ${i} of ${nChecks}, generated so that reports of this size can be timed; it judges ${what}.`)}`,
    `    remediation: ${q(`Fix ${what} on the host, then run the audit again (generated check ${i}).`)}`,
    `    tags: [bench, ${['perf', 'security', 'tcp', 'limits'][i % 4]}]`,
  ];
  switch (i % 5) {
    case 0:
    case 1: {
      const [key, { value }] = sysctls[Math.floor(i / 5) % sysctls.length];
      const nums = value.trim().split(/\s+/).map(Number);
      const expect =
        nums.length > 1 ? `{ gte: [${nums.map((n, k) => n + ((i + k) % 2 ? 0 : 1)).join(', ')}] }` : `{ ${i % 2 ? 'gte' : 'lte'}: ${nums[0] + (i % 3) - 1} }`;
      return [...head, ...text(`sysctl ${key}`), `    sysctl: ${key}`, `    expect: ${expect}`];
    }
    case 2: {
      const port = PORTS[Math.floor(i / 5) % PORTS.length];
      const bind = ['specific', 'loopback', 'absent', 'any'][Math.floor(i / 5) % 4];
      return [
        ...head,
        ...text(`the listener on ${port}`),
        `    listener: { port: ${port}, protocol: ${i % 10 === 2 ? 'udp' : 'tcp'} }`,
        `    expect: { bind: ${bind} }`,
      ];
    }
    case 3: {
      const c = counters[Math.floor(i / 5) % counters.length];
      return [...head, ...text(`the counter ${c}`), `    netstat: ${c}`, `    expect: { lte: ${i % 3} }`];
    }
    default: {
      if (i % 10 === 4) {
        const s = STATES[Math.floor(i / 10) % STATES.length];
        return [...head, ...text(`TCP sockets in ${s}`), '    tcpStates: {}', `    expect: { ${s}: { lte: ${i % 4} } }`];
      }
      return [
        ...head,
        ...text('the interfaces'),
        `    interface: ${q(i % 20 === 9 ? 'lo' : '*')}`,
        `    expect: { mtu: { gte: ${[1280, 1500, 9000][i % 3]} } }`,
      ];
    }
  }
}
const policy = ['apiVersion: plumbline/v1', 'kind: Policy', `metadata: { name: bench-report-${nChecks} }`, 'checks:'];
for (let i = 0; i < nChecks; i++) policy.push(...check(i));
const GEN = join(tmp, 'gen.yaml');
writeFileSync(GEN, policy.join('\n') + '\n');
const BIG = join(tmp, 'big.json');
const made = spawnSync(NODE, [CLI, 'audit', '--facts', SNAP, '-p', GEN, '--format', `json=${BIG}`], { encoding: 'utf8', timeout: 120_000 });
if (made.status !== 0 && made.status !== 1) {
  console.error(`making big.json: exit ${made.status ?? made.signal}\n${made.stderr}`);
  process.exit(3);
}
const big = JSON.parse(readFileSync(BIG, 'utf8'));
const counts = big.results.reduce((m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m), {});
if (big.results.length < nChecks) {
  console.error(`big.json has ${big.results.length} results, wanted ${nChecks}`);
  process.exit(3);
}

// --- the commands ---------------------------------------------------------------------------------------
const C = [
  { id: 'bare', label: 'node -e 0', args: ['-e', '0'], ok: [0] },
  { id: 'version', label: 'node bin/plumbline.js --version', args: [CLI, '--version'], ok: [0] },
];
const unavailable = [];
const available = [];
for (const f of FORMATS) {
  const file = join(out, `one.${EXT[f]}`);
  const args = [CLI, 'report', BIG, '--format', `${f}=${file}`];
  const r = spawnSync(NODE, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0 && r.status !== 1) {
    unavailable.push(`${f} (exit ${r.status}: ${r.stderr.trim().split('\n')[0]})`);
    continue;
  }
  available.push(f);
  C.push({ id: `report ${f}`, label: `node bin/plumbline.js report big.json --format ${f}=FILE`, args, ok: [0, 1], file });
}
const allArgs = [CLI, 'report', BIG, ...available.flatMap((f) => ['--format', `${f}=${join(out, `all.${EXT[f]}`)}`])];
C.push({ id: 'report all', label: `node bin/plumbline.js report big.json ${available.map((f) => `--format ${f}=FILE`).join(' ')}`, args: allArgs, ok: [0, 1] });
C.push(
  {
    id: 'audit gen',
    label: `node bin/plumbline.js audit --facts ${SNAP} -p gen.yaml --format json=FILE`,
    args: [CLI, 'audit', '--facts', SNAP, '-p', GEN, '--format', `json=${join(out, 'audit-gen.json')}`],
    ok: [0, 1],
  },
  {
    id: 'audit gen sarif',
    label: `node bin/plumbline.js audit --facts ${SNAP} -p gen.yaml --format json=FILE --format sarif=FILE`,
    args: [CLI, 'audit', '--facts', SNAP, '-p', GEN, '--format', `json=${join(out, 'audit-gen2.json')}`, '--format', `sarif=${join(out, 'audit-gen2.sarif')}`],
    ok: [0, 1],
  },
  {
    id: 'audit snap',
    label: `node bin/plumbline.js audit --facts ${SNAP} --format json=FILE`,
    args: [CLI, 'audit', '--facts', SNAP, '--format', `json=${join(out, 'audit-snap.json')}`],
    ok: [0, 1],
  },
  {
    id: 'audit host',
    label: 'node bin/plumbline.js audit --no-progress --format json=/dev/null',
    args: [CLI, 'audit', '--no-progress', '--format', 'json=/dev/null'],
    ok: [0, 1],
  },
);

const times = Object.fromEntries(C.map((c) => [c.id, []]));
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const loadStart = load();
const started = performance.now();
for (let round = 0; round <= runs; round++) {
  for (const c of C) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(NODE, c.args, { stdio: 'ignore', timeout: 120_000 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!c.ok.includes(r.status)) {
      console.error(`${c.id}: ${[NODE, ...c.args].join(' ')} exited ${r.status ?? r.signal}; not a benchmark`);
      process.exit(3);
    }
    if (round > 0) times[c.id].push(ms); // round 0 warms the page cache and the compile cache
  }
}
const wall = (performance.now() - started) / 1000;

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const v = sorted(xs);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const p90 = (xs) => sorted(xs)[Math.min(xs.length - 1, Math.ceil(0.9 * xs.length) - 1)];
const med = (id) => median(times[id]);
const f0 = (x) => x.toFixed(0);
const kib = (n) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`);

console.log(
  `${runs} interleaved rounds (+1 warm-up), spawnSync wall time; ${os.availableParallelism?.() ?? os.cpus().length} CPUs, node ${process.version}; ` +
    `load ${loadStart} at start, ${load()} at the end; ${wall.toFixed(0)} s in all\n`,
);
console.log(
  `big.json: ${big.results.length} results (${Object.entries(counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')}), score ${big.score}, ${kib(statSync(BIG).size)}; gen.yaml ${kib(statSync(GEN).size)}\n`,
);
console.log('| command | median | p90 | min | output |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const c of C) {
  const size = c.file ? kib(statSync(c.file).size) : '';
  console.log(`| \`${c.label}\` | ${f0(med(c.id))} ms | ${f0(p90(times[c.id]))} ms | ${f0(Math.min(...times[c.id]))} ms | ${size} |`);
}
if (unavailable.length) console.log(`\nNot timed (the CLI cannot render them yet): ${unavailable.join('; ')}.`);

const gen = med('audit gen');
console.log('\n| ratio of medians | value |');
console.log('| --- | ---: |');
for (const f of available) console.log(`| report ${f} / audit --facts -p gen.yaml (json) | ${(med(`report ${f}`) / gen).toFixed(2)}× |`);
console.log(`| report, every format in one process / audit --facts -p gen.yaml (json) | ${(med('report all') / gen).toFixed(2)}× |`);
console.log(`| audit --facts -p gen.yaml, json + sarif / json alone | ${(med('audit gen sarif') / gen).toFixed(2)}× |`);
if (available.includes('sarif')) console.log(`| report sarif / report json | ${(med('report sarif') / med('report json')).toFixed(2)}× |`);
console.log(`| report, every format / default host audit | ${(med('report all') / med('audit host')).toFixed(2)}× |`);
const floor = med('report json');
console.log('\nEach format over `report --format json` (the same process reading and validating the same report, writing it as JSON; medians):');
console.log(
  available
    .filter((f) => f !== 'json')
    .map((f) => `${f} ${f0(med(`report ${f}`) - floor)} ms`)
    .join(', ') + '.',
);

if (keep) {
  mkdirSync(resolve(keep), { recursive: true });
  cpSync(GEN, join(resolve(keep), 'gen.yaml'));
  cpSync(BIG, join(resolve(keep), 'big.json'));
  cpSync(out, join(resolve(keep), 'out'), { recursive: true });
}
