#!/usr/bin/env node
// What-if measurements behind the "where the time goes" notes of bench/README.md. Each variant removes one cost
// from a plumbline run without touching src/, so the difference to the real run is that cost:
//
//   empty .cjs / .mjs entry     what Node charges for a CommonJS vs an ES-module entry point (the CLI is CommonJS)
//   floor (bench/floor.cjs)     the default audit's host reads and its nft run with nothing else: the price of
//                               the facts themselves; --no-nft without the nft run
//   audit --facts FILE          the baseline audit judging a saved snapshot: no host access at all
//   builtin:bench10/bench1000   checks-10/-1000 resolved at build time like the baseline (scripts/precompile.ts),
//                               i.e. what a cache of resolved user policies would give: no YAML, no schema
//   parse checks-1000 only      a fresh Node that only reads and parses the 1,000-check policy, with js-yaml's
//                               event parser (what plumbline uses first) and with `yaml` (its precise reader)
//
//   npm run build && node bench/experiments.mjs [--runs N] [--rounds N] [--warmup N]
//
// Works on a snapshot copy of bin/, dist/, policies/, schemas/ (as bench/run.mjs does) into which the bench
// policies are precompiled; the working tree is not changed. Needs hyperfine and esbuild (a devDependency).
import { spawnSync, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
const argv = process.argv.slice(2);
const num = (name, d) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : d);
const runs = num('--runs', 45);
const rounds = num('--rounds', 3);
const warmup = num('--warmup', 3);
const NODE = process.execPath;

if (!existsSync(join(root, 'dist', 'cli.cjs'))) {
  console.error('dist/cli.cjs is missing; run `npm run build` first');
  process.exit(2);
}
const tmp = mkdtempSync(join(os.tmpdir(), 'plumbline-exp-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
/** A copy of the built CLI; `extra` bench policies are added to its built-ins and precompiled into it. */
function snapshot(name, extra = {}) {
  const dir = join(tmp, name);
  for (const p of ['bin', 'dist', 'policies', 'schemas', 'package.json']) cpSync(join(root, p), join(dir, p), { recursive: true, preserveTimestamps: true });
  if (Object.keys(extra).length) {
    for (const [as, from] of Object.entries(extra)) cpSync(join(root, 'bench', 'policies', from), join(dir, 'policies', `${as}.yaml`));
    execFileSync(NODE, [pre, join(dir, 'policies'), join(dir, 'dist', 'builtin-policies.json')], { stdio: 'inherit' });
  }
  return join(dir, 'bin', 'plumbline.js');
}
writeFileSync(join(tmp, 'empty.cjs'), '');
writeFileSync(join(tmp, 'empty.mjs'), '');
const parseOnly = (lib, call) => {
  const f = join(tmp, `parse-${lib}.cjs`);
  writeFileSync(f, `const text = require('fs').readFileSync(${JSON.stringify(join(root, 'bench', 'policies', 'checks-1000.yaml'))}, 'utf8');\n` +
    `const lib = require(${JSON.stringify(join(root, 'node_modules', lib))});\n${call};\n`);
  return f;
};
const PARSE_JSYAML = parseOnly('js-yaml', "lib.parseEvents(text, {})");
const PARSE_YAML = parseOnly('yaml', 'lib.parseDocument(text)');

// The build's own precompile step (scripts/precompile.ts), bundled as scripts/build.mjs does.
const pre = join(tmp, 'precompile.mjs');
execFileSync(join(root, 'node_modules', '.bin', 'esbuild'), [
  join(root, 'scripts', 'precompile.ts'), '--bundle', '--format=esm', '--platform=node', '--target=node20', `--outfile=${pre}`, '--log-level=warning',
  "--banner:js=import { createRequire as __c } from 'node:module'; const require = __c(import.meta.url);",
], { stdio: 'inherit' });

// One snapshot per precompiled set, so that no run reads another one's policies.
const CLI = snapshot('clean');
const CLI10 = snapshot('pre10', { bench10: 'checks-10.yaml' });
const CLI1000 = snapshot('pre1000', { bench1000: 'checks-1000.yaml' });
const facts = join(tmp, 'facts.json');
execFileSync(NODE, [CLI, 'facts', '-o', facts], { stdio: 'ignore', timeout: 60_000 });
const FLOOR = join(root, 'bench', 'floor.cjs');

const V = [
  ['node -e 0', [NODE, '-e', '0'], [0]],
  ['node empty.cjs', [NODE, join(tmp, 'empty.cjs')], [0]],
  ['node empty.mjs', [NODE, join(tmp, 'empty.mjs')], [0]],
  ['plumbline --version', [NODE, CLI, '--version'], [0]],
  ['floor: host reads only', [NODE, FLOOR, '--no-nft'], [0]],
  ['floor: host reads + nft', [NODE, FLOOR], [0]],
  ['audit (baseline)', [NODE, CLI, 'audit'], [0, 1]],
  ['audit --facts (baseline, no host access)', [NODE, CLI, 'audit', '--facts', facts], [0, 1]],
  ['audit -p checks-10.yaml', [NODE, CLI, 'audit', '-p', 'bench/policies/checks-10.yaml'], [0, 1]],
  ['audit -p builtin:bench10 (precompiled)', [NODE, CLI10, 'audit', '-p', 'builtin:bench10'], [0, 1]],
  ['audit -p checks-1000.yaml', [NODE, CLI, 'audit', '-p', 'bench/policies/checks-1000.yaml'], [0, 1]],
  ['audit -p checks-1000-same-facts.yaml', [NODE, CLI, 'audit', '-p', 'bench/policies/checks-1000-same-facts.yaml'], [0, 1]],
  ['audit -p builtin:bench1000 (precompiled)', [NODE, CLI1000, 'audit', '-p', 'builtin:bench1000'], [0, 1]],
  ['parse checks-1000 only: js-yaml events', [NODE, PARSE_JSYAML], [0]],
  ['parse checks-1000 only: yaml parseDocument', [NODE, PARSE_YAML], [0]],
];
for (const [name, a, ok] of V) {
  const r = spawnSync(a[0], a.slice(1), { stdio: 'ignore', timeout: 60_000 });
  if (!ok.includes(r.status)) {
    console.error(`${name}: exited ${r.status ?? r.signal}; not a benchmark`);
    process.exit(3);
  }
}

// Measured in rounds whose times are pooled, as bench/run.mjs does: a burst of load from something else on the
// machine then hits every variant a little instead of one variant a lot.
const q = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s}'`);
const times = Object.fromEntries(V.map(([name]) => [name, []]));
const perRound = Math.max(2, Math.ceil(runs / rounds));
for (let round = 1; round <= rounds; round++) {
  const out = join(tmp, `h${round}.json`);
  const args = ['-N', '--style', 'basic', '-i', '-w', String(warmup), '-r', String(perRound), '--export-json', out];
  for (const [name, a] of V) args.push('-n', name, a.map(q).join(' '));
  console.error(`round ${round}/${rounds}, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const r = spawnSync('timeout', ['-k', '10', '1500', 'hyperfine', ...args], { stdio: ['ignore', 2, 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 3);
  for (const x of JSON.parse(readFileSync(out, 'utf8')).results) times[x.command].push(...x.times.map((t) => t * 1000));
}
const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const med = Object.fromEntries(V.map(([name]) => [name, median(times[name])]));
const minOf = Object.fromEntries(V.map(([name]) => [name, Math.min(...times[name])]));
console.log(`${rounds} rounds × ${perRound} runs (+${warmup} warm-up each); ${os.availableParallelism?.() ?? os.cpus().length} CPUs, node ${process.version}; load at the end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
console.log('| variant | median | min | median − bare node |\n| --- | ---: | ---: | ---: |');
for (const [name] of V) console.log(`| ${name} | ${med[name].toFixed(1)} ms | ${minOf[name].toFixed(1)} ms | ${med[name] - med['node -e 0'] >= 0 ? '+' : ''}${(med[name] - med['node -e 0']).toFixed(1)} ms |`);
const rr = (a, b) => (med[a] / med[b]).toFixed(2);
console.log(`\nchecks-1000 / checks-10: ${rr('audit -p checks-1000.yaml', 'audit -p checks-10.yaml')}× from YAML, ` +
  `${rr('audit -p builtin:bench1000 (precompiled)', 'audit -p builtin:bench10 (precompiled)')}× precompiled; ` +
  `baseline / bare node: ${rr('audit (baseline)', 'node -e 0')}×, with --facts ${rr('audit --facts (baseline, no host access)', 'node -e 0')}×; ` +
  `floor / bare node: ${rr('floor: host reads + nft', 'node -e 0')}× (${rr('floor: host reads only', 'node -e 0')}× without nft); ` +
  `checks-1000 parse only / checks-10 audit: js-yaml ${rr('parse checks-1000 only: js-yaml events', 'audit -p checks-10.yaml')}×`);
