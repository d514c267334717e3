// Build step: resolve every built-in policy once, so the default run loads JSON instead of YAML + schemas.
// Runs from a temporary esbuild bundle made by scripts/build.mjs.
import { writeFileSync, readdirSync } from 'node:fs';
import { resolvePolicy } from '../src/policy/resolve.js';
import { builtinSources } from '../src/policy/precompiled.js';
import type { PrecompiledSet } from '../src/policy/precompiled.js';
import type { ResolvedPolicy } from '../src/policy/model.js';

const [builtinDir, out] = process.argv.slice(2) as [string, string];
const policies: Record<string, ResolvedPolicy> = {};
for (const f of readdirSync(builtinDir)
  .filter((n) => n.endsWith('.yaml'))
  .sort()) {
  const name = f.slice(0, -'.yaml'.length);
  // A working directory outside the package makes every file name come out as builtin:NAME, which
  // loadPrecompiled maps to what the user's working directory would show.
  policies[name] = resolvePolicy([`builtin:${name}`], { builtinDir, cwd: '/nonexistent-plumbline-cwd' });
}
const set: PrecompiledSet = { sources: builtinSources(builtinDir), policies };
writeFileSync(out, JSON.stringify(set));
