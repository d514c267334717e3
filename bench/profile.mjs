#!/usr/bin/env node
// Where does one plumbline run spend its CPU? Runs the CLI under `node --cpu-prof` (several times, profiles
// merged) and prints self time per source module and per function. Samples in the esbuild bundle are mapped
// back to the src/ or node_modules/ file they came from through the `// src/...` markers esbuild leaves in
// non-minified output, so no source maps are needed.
//
//   node bench/profile.mjs [--runs N] [--interval US] [--top N] [--cli DIR] -- audit -p bench/policies/checks-1000.yaml
//
// The profiler slows the run down (more so at small intervals): read the shares, not the absolute times.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const own = sep >= 0 ? argv.slice(0, sep) : [];
const cliArgs = sep >= 0 ? argv.slice(sep + 1) : ['audit'];
const flag = (name, dflt) => {
  const i = own.indexOf(name);
  return i >= 0 ? Number(own[i + 1]) : dflt;
};
const runs = flag('--runs', 5);
const interval = flag('--interval', 250);
const top = flag('--top', 25);
// --cli DIR: profile another copy of the built CLI (a snapshot with extra precompiled policies, say).
const cliRoot = own.includes('--cli') ? own[own.indexOf('--cli') + 1] : root;

const dir = mkdtempSync(join(os.tmpdir(), 'plumbline-prof-'));
for (let i = 0; i < runs; i++) {
  const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', String(interval), join(cliRoot, 'bin', 'plumbline.js'), ...cliArgs], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  });
  if (r.status !== 0 && r.status !== 1) {
    process.stderr.write(`plumbline ${cliArgs.join(' ')} exited ${r.status ?? r.signal}\n`);
    process.exit(3);
  }
}

// Bundle file -> sorted [line, module] markers.
const markers = new Map();
function moduleOf(url, line) {
  if (!url) return '(native/VM)';
  if (!url.startsWith('file://')) return url;
  const path = fileURLToPath(url);
  if (!path.startsWith(join(cliRoot, 'dist'))) return path.replace(root, '');
  if (!markers.has(path)) {
    const m = [];
    readFileSync(path, 'utf8').split('\n').forEach((l, i) => {
      const x = /^\/\/ ((?:src|node_modules|scripts)\/\S+)$/.exec(l);
      if (x) m.push([i, x[1]]);
    });
    markers.set(path, m);
  }
  let found = path.replace(cliRoot, '');
  for (const [l, mod] of markers.get(path)) {
    if (l > line) break;
    found = mod;
  }
  return found.replace(/^node_modules\/(@[^/]+\/[^/]+|[^/]+)\/.*/, 'node_modules/$1');
}

const byModule = new Map();
const byFunction = new Map();
let total = 0;
for (const f of readdirSync(dir)) {
  const p = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const cf = nodes.get(id).callFrame;
    const special = /^\((garbage collector|idle|program)\)$/.test(cf.functionName) ? cf.functionName : undefined;
    const mod = special ?? moduleOf(cf.url, cf.lineNumber);
    byModule.set(mod, (byModule.get(mod) ?? 0) + dt);
    const fn = `${cf.functionName || '(anonymous)'}  ${special ? '' : mod}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + dt);
  });
}
rmSync(dir, { recursive: true, force: true });

const print = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(v / runs).toFixed(1).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
  }
};
console.log(`plumbline ${cliArgs.join(' ')}: ${runs} profiled runs, ${(total / runs).toFixed(1)} ms sampled per run (interval ${interval} µs)`);
print('self time by module (per run)', byModule);
print('self time by function (per run)', byFunction);
