import * as path from 'node:path';

/**
 * How a policy file is named in messages and findings: relative to the working directory when inside it,
 * `builtin:NAME` for a built-in outside it, else absolute.
 */
export function displayPath(abs: string, cwd: string, builtinDir: string, builtinName?: string): string {
  const rel = path.relative(cwd, abs);
  const inside = rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  if (inside) return rel;
  // A built-in reached by its path (the CLI maps `-p builtin:x` itself) reads better by its name too.
  const name = builtinName ?? (path.dirname(abs) === builtinDir && abs.endsWith('.yaml') ? path.basename(abs, '.yaml') : undefined);
  return name !== undefined ? `builtin:${name}` : abs;
}
