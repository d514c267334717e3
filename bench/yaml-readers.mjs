#!/usr/bin/env node
// Does the fast YAML reader (js-yaml's event parser, load-fast.ts) earn its keep? Times `audit -p` on the
// 10- and 1,000-check policies with the CLI as built (fast reader first, `yaml` after a problem) and with a
// variant whose fast reader always declines, so every file goes to `yaml` (js-yaml never loads). Same
// snapshot, same rounds, whole-process wall time (hyperfine -N).
//
//   npm run build && node bench/yaml-readers.mjs [--runs N] [--rounds N] [--warmup N] [--only 10|1000]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
const argv = process.argv.slice(2);
const opt = (name, d) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : d);
const runs = Number(opt('--runs', 60));
const rounds = Number(opt('--rounds', 4));
const warmup = Number(opt('--warmup', 3));
const NODE = process.execPath;
const SIZES = argv.includes('--only') ? [opt('--only')] : ['10', '1000'];

const tmp = mkdtempSync(join(os.tmpdir(), 'plumbline-yaml-readers-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
function snapshot(name) {
  const dir = join(tmp, name);
  for (const p of ['bin', 'dist', 'policies', 'schemas', 'package.json']) cpSync(join(root, p), join(dir, p), { recursive: true });
  return dir;
}
const pair = snapshot('pair');
const yamlOnly = snapshot('yaml-only');

// The variant: dist/cli.cjs rebuilt as scripts/build.mjs builds it, but with load-fast.ts replaced by a reader
// that declines every text.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
await build({
  bundle: true, format: 'cjs', platform: 'node', target: 'node20', minifySyntax: true, logLevel: 'warning',
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: join(yamlOnly, 'dist/cli.cjs'),
  logOverride: { 'empty-import-meta': 'silent' },
  define: { PLUMBLINE_VERSION: JSON.stringify(pkg.version), PLUMBLINE_PROBE_WORKER_FILE: JSON.stringify('lib/probe-worker.cjs') },
  plugins: [{
    name: 'variant',
    setup(b) {
      b.onResolve({ filter: /\/load-fast\.js$/ }, () => ({ path: 'load-fast', namespace: 'declines' }));
      b.onLoad({ filter: /.*/, namespace: 'declines' }, () => ({
        contents: 'export const MAX_NESTING = 64; export function fastLoad() { return undefined; } export function placeOf() { return 0; }',
        loader: 'js',
      }));
      b.onResolve({ filter: /^(js-)?yaml$/ }, (a) => ({ path: `./lib/${a.path}.cjs`, external: true }));
      b.onResolve({ filter: /\/generated\/(policy|facts|report)-validator\.js$/ }, (a) => ({
        path: `./lib/${a.path.match(/(policy|facts|report)-validator/)[0]}.cjs`, external: true,
      }));
    },
  }],
});

const P10 = 'bench/policies/checks-10.yaml';
const P1000 = 'bench/policies/checks-1000.yaml';
const C = [];
for (const [tag, dir] of [['pair', pair], ['yaml', yamlOnly]]) {
  for (const [p, pn] of [[P10, '10'], [P1000, '1000']].filter(([, n]) => SIZES.includes(n))) C.push([`${tag} ${pn}`, [NODE, join(dir, 'bin/plumbline.js'), 'audit', '-p', p]]);
}
// Both must judge alike before they are timed.
const outputs = new Map();
for (const [id, a] of C) {
  const r = spawnSync(a[0], [...a.slice(1), '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) {
    console.error(`${id}: exited ${r.status}\n${r.stderr}`);
    process.exit(3);
  }
  const rep = JSON.parse(r.stdout);
  outputs.set(id, JSON.stringify(rep.results.map((x) => [x.id, x.status])));
}
for (const n of SIZES) {
  if (outputs.get(`pair ${n}`) !== outputs.get(`yaml ${n}`)) {
    console.error(`checks-${n}: the two builds judge differently; not a benchmark`);
    process.exit(3);
  }
}

const times = Object.fromEntries(C.map(([id]) => [id, []]));
// CPU time (user + system) per round, as hyperfine reports it (a mean per round): steadier than wall time on a busy machine.
const cpu = Object.fromEntries(C.map(([id]) => [id, []]));
const perRound = Math.max(2, Math.ceil(runs / rounds));
for (let round = 1; round <= rounds; round++) {
  const out = join(tmp, `h${round}.json`);
  const args = ['-N', '--style', 'basic', '-i', '-w', String(warmup), '-r', String(perRound), '--export-json', out];
  // Alternate the order per round, so neither build always runs first.
  for (const [id, a] of round % 2 ? C : [...C].reverse()) args.push('-n', id, a.join(' '));
  console.error(`round ${round}/${rounds}`);
  const r = spawnSync('hyperfine', args, { stdio: ['ignore', 2, 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 3);
  for (const x of JSON.parse(readFileSync(out, 'utf8')).results) {
    times[x.command].push(...x.times.map((t) => t * 1000));
    cpu[x.command].push((x.user + x.system) * 1000);
  }
}
const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const f1 = (x) => x.toFixed(1);
console.log(`${rounds} rounds × ${perRound} runs (+${warmup} warm-up each), hyperfine -N; node ${process.version}\n`);
console.log('| policy | js-yaml first, then yaml: wall median (min); CPU | yaml alone: wall median (min); CPU | the pair saves: wall median, min; CPU |');
console.log('| --- | ---: | ---: | ---: |');
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
for (const n of SIZES) {
  const a = times[`pair ${n}`];
  const b = times[`yaml ${n}`];
  const ca = mean(cpu[`pair ${n}`]);
  const cb = mean(cpu[`yaml ${n}`]);
  console.log(
    `| checks-${n}.yaml | ${f1(median(a))} ms (${f1(Math.min(...a))}); ${f1(ca)} ms | ${f1(median(b))} ms (${f1(Math.min(...b))}); ${f1(cb)} ms | ` +
      `${f1(median(b) - median(a))} ms, ${f1(Math.min(...b) - Math.min(...a))} ms; ${f1(cb - ca)} ms |`,
  );
}
