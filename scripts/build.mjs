// Build: generate schema validators (ajv standalone, so no schema compiles at run time), then bundle the
// CLI with esbuild into dist/. Commands and renderers are split into chunks loaded on demand.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (existsSync(`${root}scripts/gen-validators.mjs`)) {
  execFileSync(process.execPath, [`${root}scripts/gen-validators.mjs`], { stdio: 'inherit', cwd: root });
}

rmSync(`${root}dist`, { recursive: true, force: true });

await build({
  entryPoints: { cli: `${root}src/cli/main.ts` },
  outdir: `${root}dist`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  sourcemap: false,
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: "import { createRequire as __plCreateRequire } from 'node:module'; const require = __plCreateRequire(import.meta.url);" },
  define: { PLUMBLINE_VERSION: JSON.stringify(JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version) },
});

// Resolve the built-in policies now (see scripts/precompile.ts), with the same code the CLI would run.
const pre = `${root}dist/.precompile.mjs`;
await build({ entryPoints: [`${root}scripts/precompile.ts`], outfile: pre, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
  banner: { js: "import { createRequire as __plCreateRequire } from 'node:module'; const require = __plCreateRequire(import.meta.url);" } });
execFileSync(process.execPath, [pre, `${root}policies`, `${root}dist/builtin-policies.json`], { stdio: 'inherit' });
rmSync(pre);
