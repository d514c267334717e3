import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

declare const PLUMBLINE_VERSION: string | undefined;

/** The package root, found by walking up from this module (dist/ in the bundle, src/cli/ in tests). */
function packageRoot(): string {
  // __dirname in the CommonJS bundle; import.meta.url when src/ runs directly (tests).
  let dir = typeof __dirname === 'string' ? __dirname : dirname(decodeURIComponent(new URL(import.meta.url).pathname));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'policies', 'baseline.yaml'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the built-in policies directory next to plumbline');
}

let root: string | undefined;
export function builtinDir(): string {
  root ??= packageRoot();
  return join(root, 'policies');
}

/** Built-in policies resolved at build time (scripts/precompile.ts). */
export function precompiledFile(): string {
  root ??= packageRoot();
  return join(root, 'dist', 'builtin-policies.json');
}

export function version(): string {
  if (typeof PLUMBLINE_VERSION === 'string') return PLUMBLINE_VERSION;
  root ??= packageRoot();
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
