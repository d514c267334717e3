// Built-in policies resolved at build time. The default run (`plumbline audit`, no -p) then needs neither the
// YAML parser nor the schema validator: a JSON read and a hash of the YAML it came from, which guards against a
// baseline edited after the build (then the caller resolves it the slow way).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedPolicy } from './model.js';
import { displayPath } from './display.js';

export interface PrecompiledSet {
  /** The text of every built-in YAML file it was made from: one edit (or a new file) invalidates the set. */
  sources: Record<string, string>;
  policies: Record<string, ResolvedPolicy>;
}

/** The built-in YAML files as they are now. Comparing text costs less than loading a hash implementation. */
export function builtinSources(builtinDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(builtinDir)
    .filter((n) => n.endsWith('.yaml'))
    .sort())
    out[f] = readFileSync(join(builtinDir, f), 'utf8');
  return out;
}

function sameSources(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** The resolved built-in NAME if the precompiled set is current, with file names shown as a live resolve would. */
export function loadPrecompiled(file: string, builtinDir: string, name: string, cwd = process.cwd()): ResolvedPolicy | undefined {
  if (!existsSync(file)) return undefined;
  let set: PrecompiledSet;
  try {
    set = JSON.parse(readFileSync(file, 'utf8')) as PrecompiledSet;
  } catch {
    return undefined;
  }
  const policy = set.policies[name];
  if (!policy || !sameSources(set.sources, builtinSources(builtinDir))) return undefined;
  // A handful of distinct files behind many checks: work each name out once.
  const shown = new Map<string, string>();
  const show = (f: string): string => {
    let s = shown.get(f);
    if (s === undefined) {
      s = f.startsWith('builtin:') ? displayPath(join(builtinDir, `${f.slice(8)}.yaml`), cwd, builtinDir, f.slice(8)) : f;
      shown.set(f, s);
    }
    return s;
  };
  for (const c of policy.checks) {
    c.source.file = show(c.source.file);
    if (c.expectSource) c.expectSource.file = show(c.expectSource.file);
    if (c.waiver) c.waiver.source.file = show(c.waiver.source.file);
  }
  policy.sources = policy.sources.map(show);
  return policy;
}
