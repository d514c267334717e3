// Does collection cost grow with the number of checks per fact family? Runs the 10-check policy and the same
// 10 checks repeated 100 times (checks-1000-same-facts.yaml: the same facts, 100x the checks), alternating,
// and reports the median of each PLUMBLINE_TRACE stage. Usage: npm run build && node bench/collect-scaling.mjs [runs]
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 21);
const policies = ['bench/policies/checks-10.yaml', 'bench/policies/checks-1000-same-facts.yaml'];
const stages = ['cli started', 'policy loaded', 'facts ready', 'rendered'];
const samples = Object.fromEntries(policies.map((p) => [p, []]));

function traced(policy) {
  const r = spawnSync(process.execPath, ['bin/plumbline.js', 'audit', '-p', policy], {
    cwd: root,
    env: { ...process.env, PLUMBLINE_TRACE: '1', NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${policy}: exit ${r.status}: ${r.stderr}`);
  const at = Object.fromEntries(stages.map((s) => [s, Number(new RegExp(`trace ([\\d.]+) ms ${s}`).exec(r.stderr)?.[1])]));
  return {
    load: at['policy loaded'] - at['cli started'],
    collect: at['facts ready'] - at['policy loaded'],
    judge: at['rendered'] - at['facts ready'],
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
execFileSync(process.execPath, ['bin/plumbline.js', '--version'], { cwd: root });
for (let i = 0; i < runs; i++) for (const p of policies) samples[p].push(traced(p));

console.log(`| stage (median of ${runs}, ms) | checks-10 | checks-1000-same-facts | ratio |`);
console.log('| --- | ---: | ---: | ---: |');
for (const k of ['load', 'collect', 'judge']) {
  const a = median(samples[policies[0]].map((s) => s[k]));
  const b = median(samples[policies[1]].map((s) => s[k]));
  const name = { load: 'policy load (YAML, validate, resolve)', collect: 'plan + collect (host reads)', judge: 'evaluate + score + render' }[k];
  console.log(`| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(2)}× |`);
}
