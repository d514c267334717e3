#!/usr/bin/env node
// The start-up targets, side by side in one run, as ratios of whole-process wall times (hyperfine -N):
//
//   audit / bare node                  `plumbline audit` vs `node -e 0`                               target ≤ 1.8×
//   audit / floor                      `plumbline audit` vs `node bench/floor.cjs` (its host reads + nft) ≤ 1.25×
//   checks-1000 / (parse + checks-10)  `audit -p checks-1000.yaml` vs `node bench/parse-floor.cjs
//                                      checks-1000.yaml` plus `audit -p checks-10.yaml`               ≤ 1.5×
//
//   npm run build && node bench/targets.mjs [--compare DIR]... [--runs N] [--rounds N] [--warmup N]
//
// --compare DIR (repeatable) also times the CLI built in DIR (another checkout after `npm ci`, e.g. a `git
// worktree` of an older commit) in the same rounds, so that before and after meet the same load. Both CLIs are benchmarked from
// snapshot copies (bin/ dist/ policies/ schemas/ package.json), as bench/run.mjs does: a rebuild of dist/ in
// mid-run would otherwise be timed as a fast crash. The floors run from bench/ of this checkout; the parse floor
// loads the YAML reader from this build's snapshot. Rounds are pooled, so a burst of load lands on every command.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
const argv = process.argv.slice(2);
const opt = (name, d) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : d);
const runs = Number(opt('--runs', 60));
const rounds = Number(opt('--rounds', 4));
const warmup = Number(opt('--warmup', 3));
const compare = argv.flatMap((a, i) => (a === '--compare' ? [argv[i + 1]] : []));
const NODE = process.execPath;

const tmp = mkdtempSync(join(os.tmpdir(), 'plumbline-targets-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
function snapshot(from, name) {
  if (!existsSync(join(from, 'dist', 'cli.cjs'))) {
    console.error(`${from}: dist/cli.cjs is missing; build it first (npm run build)`);
    process.exit(2);
  }
  const dir = join(tmp, name);
  for (const p of ['bin', 'dist', 'policies', 'schemas', 'package.json']) cpSync(join(from, p), join(dir, p), { recursive: true, preserveTimestamps: true });
  return dir;
}
const now = snapshot(root, 'now');
const CLIS = [['now', join(now, 'bin', 'plumbline.js')]];
compare.forEach((dir, i) => CLIS.push([`c${i + 1}`, join(snapshot(resolve(dir), `c${i + 1}`), 'bin', 'plumbline.js')]));

const P10 = 'bench/policies/checks-10.yaml';
const P1000 = 'bench/policies/checks-1000.yaml';
const C = [
  ['bare', 'node -e 0', [NODE, '-e', '0'], [0]],
  ['floor', 'node bench/floor.cjs', [NODE, 'bench/floor.cjs'], [0]],
  ['parse', `node bench/parse-floor.cjs ${P1000}`, [NODE, 'bench/parse-floor.cjs', P1000, join(now, 'dist', 'lib', 'yaml.cjs')], [0]],
];
for (const [tag, cli] of CLIS) {
  C.push(
    [`${tag} version`, 'node bin/plumbline.js --version', [NODE, cli, '--version'], [0]],
    [`${tag} audit`, 'node bin/plumbline.js audit', [NODE, cli, 'audit'], [0, 1]],
    [`${tag} c10`, `node bin/plumbline.js audit -p ${P10}`, [NODE, cli, 'audit', '-p', P10], [0, 1]],
    [`${tag} c1000`, `node bin/plumbline.js audit -p ${P1000}`, [NODE, cli, 'audit', '-p', P1000], [0, 1]],
  );
}
for (const [id, , a, ok] of C) {
  const r = spawnSync(a[0], a.slice(1), { stdio: 'ignore', timeout: 60_000 });
  if (!ok.includes(r.status)) {
    console.error(`${id}: ${a.join(' ')} exited ${r.status ?? r.signal}; not a benchmark`);
    process.exit(3);
  }
}

const q = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s}'`);
const times = Object.fromEntries(C.map(([id]) => [id, []]));
const bad = [];
const perRound = Math.max(2, Math.ceil(runs / rounds));
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const loadStart = load();
for (let round = 1; round <= rounds; round++) {
  const out = join(tmp, `h${round}.json`);
  const args = ['-N', '--style', 'basic', '-i', '-w', String(warmup), '-r', String(perRound), '--export-json', out];
  for (const [id, , a] of C) args.push('-n', id, a.map(q).join(' '));
  console.error(`round ${round}/${rounds}, load ${load()}`);
  const r = spawnSync('timeout', ['-k', '10', '1500', 'hyperfine', ...args], { stdio: ['ignore', 2, 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 3);
  for (const x of JSON.parse(readFileSync(out, 'utf8')).results) {
    times[x.command].push(...x.times.map((t) => t * 1000));
    const ok = C.find(([id]) => id === x.command)[3];
    if ((x.exit_codes ?? []).some((c) => !ok.includes(c))) bad.push(x.command);
  }
}
if (bad.length) {
  console.error(`timed runs exited unexpectedly: ${[...new Set(bad)].join(', ')}; not figures`);
  process.exit(3);
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const med = (id) => median(times[id]);
const min = (id) => Math.min(...times[id]);
const f1 = (x) => x.toFixed(1);
const tags = CLIS.map(([t]) => t);
const name = (t) => (t === 'now' ? 'this checkout' : compare[Number(t.slice(1)) - 1]);

console.log(
  `${rounds} rounds × ${perRound} runs (+${warmup} warm-up each), hyperfine -N; ${os.availableParallelism?.() ?? os.cpus().length} CPUs, ` +
    `node ${process.version}; load ${loadStart} at start, ${load()} at the end\n`,
);
console.log(`| command | ${tags.map((t) => `${name(t)}: median | min`).join(' | ')} |`);
console.log(`| --- | ${tags.map(() => '---: | ---:').join(' | ')} |`);
for (const [id, label] of C.slice(0, 3)) console.log(`| \`${label}\` | ${tags.map(() => `${f1(med(id))} ms | ${f1(min(id))} ms`).join(' | ')} |`);
for (const [suffix, label] of C.slice(3, 7).map(([id, l]) => [id.slice('now '.length), l])) {
  console.log(`| \`${label}\` | ${tags.map((t) => `${f1(med(`${t} ${suffix}`))} ms | ${f1(min(`${t} ${suffix}`))} ms`).join(' | ')} |`);
}
const R = [
  ['audit / bare node', 1.8, (t, m) => m(`${t} audit`) / m('bare')],
  ['audit / floor', 1.25, (t, m) => m(`${t} audit`) / m('floor')],
  ['checks-1000 / (parse floor + checks-10)', 1.5, (t, m) => m(`${t} c1000`) / (m('parse') + m(`${t} c10`))],
];
console.log(`\n| ratio | target | ${tags.map((t) => `${name(t)}: of medians | of minimums`).join(' | ')} |`);
console.log(`| --- | --- | ${tags.map(() => '---: | ---:').join(' | ')} |`);
for (const [label, target, fn] of R) {
  const cell = (x) => `${x.toFixed(2)}×${x <= target ? '' : ' (over)'}`;
  console.log(`| ${label} | ≤ ${target}× | ${tags.map((t) => `**${cell(fn(t, med))}** | ${cell(fn(t, min))}`).join(' | ')} |`);
}
for (const t of tags.slice(1)) {
  const d = (suffix) => `${f1(med(`now ${suffix}`) - med(`${t} ${suffix}`))} ms`;
  console.log(`\nThis checkout minus ${name(t)} (medians): --version ${d('version')}, audit ${d('audit')}, checks-10 ${d('c10')}, checks-1000 ${d('c1000')}.`);
}
