// What a host one round trip away costs an audit: the default audit and the 1,000-check policy, each through the
// local transport and through the same transport with 50 ms added to every batch (test/helpers/delayed-transport.ts),
// alternating in one process for ROUNDS rounds. The target: delayed ≤ local + 2 × 50 ms.
//
//   node bench/transport-delay.mjs [--rounds N] [--delay MS]
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('--rounds', 15);
const DELAY = arg('--delay', 50);

// Inside the checkout (its ignored tmp/), so the bundle finds the built-in policies as the CLI does.
mkdirSync(join(root, 'tmp'), { recursive: true });
const dir = mkdtempSync(join(root, 'tmp', 'delay-'));
const entry = join(dir, 'entry.ts');
writeFileSync(
  entry,
  `export { auditReport } from ${JSON.stringify(`${root}src/cli/audit-run.ts`)};
export { LocalTransport } from ${JSON.stringify(`${root}src/transport/local.ts`)};
export { delayedTransport } from ${JSON.stringify(`${root}test/helpers/delayed-transport.ts`)};`,
);
const out = join(dir, 'entry.mjs');
await build({
  entryPoints: [entry],
  outfile: out,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'error',
  banner: { js: "import { createRequire as plumblineRequire } from 'node:module'; const require = plumblineRequire(import.meta.url);" },
});
const { auditReport, LocalTransport, delayedTransport } = await import(pathToFileURL(out).href);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const [name, policies] of [
  ['default audit', undefined],
  ['checks-1000.yaml', [`${root}bench/policies/checks-1000.yaml`]],
]) {
  const local = [];
  const far = [];
  let batches = 0;
  let items = 0;
  for (let i = 0; i < ROUNDS + 1; i++) {
    for (const delayed of i % 2 ? [false, true] : [true, false]) {
      const t = delayed ? delayedTransport(new LocalTransport(), DELAY) : new LocalTransport();
      const started = performance.now();
      await auditReport({ ...(policies ? { policies } : {}), transport: t });
      const ms = performance.now() - started;
      // The first round warms the code up; it is not counted.
      if (i === 0) continue;
      (delayed ? far : local).push(ms);
      if (delayed) ({ length: batches } = t.batches), (items = t.items);
    }
  }
  const l = median(local);
  const f = median(far);
  rows.push(
    `| ${name} | ${l.toFixed(1)} ms | ${f.toFixed(1)} ms | ${f - l >= 0 ? '+' : '−'}${Math.abs(f - l).toFixed(1)} ms | ${batches} | ${items} | ≤ +${2 * DELAY} ms |`,
  );
}
rmSync(dir, { recursive: true, force: true });
console.log(`| policy | local (median of ${ROUNDS}) | +${DELAY} ms per batch | difference | batches | raw items | target |`);
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
