// Build: write the policy schema from its TypeBox definition, generate schema validators (ajv standalone, so
// no schema compiles at run time), then bundle the CLI with esbuild into dist/ (see the comments below for
// the layout).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// schemas/policy.schema.json is generated (scripts/policy-schema.ts) and committed: editors read it from a
// checkout, and .ci/run fails when the committed file is not what the build writes. TypeBox runs only here.
if (existsSync(`${root}scripts/policy-schema.ts`)) {
  const out = await build({
    stdin: {
      contents: "import { policySchemaText } from './policy-schema.ts'; export default policySchemaText();",
      resolveDir: `${root}scripts`,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'warning',
  });
  const gen = `${root}scripts/.policy-schema.mjs`;
  writeFileSync(gen, out.outputFiles[0].text);
  try {
    const { default: text } = await import(`${gen}?${Date.now()}`);
    const file = `${root}schemas/policy.schema.json`;
    // Written only when it changed, so the validators (and tests' checks of their age) are not made stale for nothing.
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
  } finally {
    rmSync(gen, { force: true });
  }
}
if (existsSync(`${root}scripts/gen-validators.mjs`)) {
  execFileSync(process.execPath, [`${root}scripts/gen-validators.mjs`], { stdio: 'inherit', cwd: root });
}

rmSync(`${root}dist`, { recursive: true, force: true });
const rootPackage = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const VERSION = JSON.stringify(rootPackage.version);

// Third-party and generated code that only some runs need (the YAML parser, the schema validators) is
// bundled apart, one CommonJS file each, and required on first use. Everything else is one CommonJS file:
// a CommonJS entry skips Node's ES-module loader (bench/README.md has the figures), and esbuild keeps each
// dynamically imported module's body in a lazy init.
const LIBS = {
  yaml: 'yaml',
  'policy-validator': `${root}src/policy/generated/policy-validator.js`,
  'facts-validator': `${root}src/facts/generated/facts-validator.js`,
  'report-validator': `${root}src/report/generated/report-validator.js`,
  'fleet-report-validator': `${root}src/report/generated/fleet-report-validator.js`,
};
// The SSH transport's remote program is a shell script kept as one (src/transport/ssh/remote.sh), bundled as text.
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  sourcemap: false,
  logLevel: 'warning',
  loader: { '.sh': 'text' },
};
await build({ ...common, entryPoints: LIBS, outdir: `${root}dist/lib`, outExtension: { '.js': '.cjs' } });

// The probe worker (src/probes/probe-worker.ts): TCP and HTTP probes time on an event loop of their own, and a large
// TLS audit shares its handshakes with one. The CLI starts it from this file beside its bundle; the Action, whose checkout holds dist/action.js alone, carries the
// same code as text inside its bundle and starts it with `eval`.
const PROBE_WORKER = 'lib/probe-worker.cjs';
await build({ ...common, entryPoints: [`${root}src/probes/probe-worker.ts`], outfile: `${root}dist/${PROBE_WORKER}`, legalComments: 'none' });
const probeWorkerSource = readFileSync(`${root}dist/${PROBE_WORKER}`, 'utf8');

const libsExternal = {
  name: 'libs-external',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: './lib/yaml.cjs', external: true }));
    b.onResolve({ filter: /\/generated\/(policy|facts|report|fleet-report)-validator\.js$/ }, (a) => ({
      path: `./lib/${a.path.match(/(policy|facts|fleet-report|report)-validator/)[0]}.cjs`,
      external: true,
    }));
  },
};
await build({
  ...common,
  entryPoints: [`${root}src/cli/main.ts`],
  outfile: `${root}dist/cli.cjs`,
  plugins: [libsExternal],
  // paths.ts falls back to import.meta.url only outside the bundle (tests run src/ directly).
  logOverride: { 'empty-import-meta': 'silent' },
  define: { PLUMBLINE_VERSION: VERSION, PLUMBLINE_PROBE_WORKER_FILE: JSON.stringify(PROBE_WORKER) },
});

// The GitHub Action runs dist/action.js straight from a checkout of this repository, where nothing is
// installed: one self-contained ES module (committed, and rebuilt and compared by .ci/run), with every
// dependency inside. Node 20 syntax, so the same file runs on Node 20 here and on the runners' Node 24.
// The banner gives bundled CommonJS code (yaml, ajv's runtime) the require() an ES module lacks.
// @actions/core reaches an HTTP client (and undici behind it, most of the bundle's weight) only for
// getIDToken, which plumbline never calls: the client is left out and a call would say so.
const noHttpClient = {
  name: 'no-http-client',
  setup(b) {
    b.onResolve({ filter: /^@actions\/http-client(\/lib\/auth)?$/ }, () => ({ path: 'http-client', namespace: 'no-http-client' }));
    b.onLoad({ filter: /.*/, namespace: 'no-http-client' }, () => ({
      contents:
        "class Absent { constructor() { throw new Error('@actions/http-client is not in plumbline\\'s Action bundle'); } }\nexport { Absent as HttpClient, Absent as BearerCredentialHandler };\n",
      loader: 'js',
    }));
  },
};
await build({
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  entryPoints: [`${root}src/action/main.ts`],
  loader: { '.sh': 'text' },
  outfile: `${root}dist/action.js`,
  plugins: [noHttpClient],
  banner: { js: "import { createRequire as __plCreateRequire } from 'node:module'; const require = __plCreateRequire(import.meta.url);" },
  define: { PLUMBLINE_VERSION: VERSION, PLUMBLINE_PROBE_WORKER_SOURCE: JSON.stringify(probeWorkerSource) },
});

// Resolve the built-in policies now (see scripts/precompile.ts), with the same code the CLI would run.
const pre = `${root}dist/.precompile.mjs`;
await build({
  entryPoints: [`${root}scripts/precompile.ts`],
  outfile: pre,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __plCreateRequire } from 'node:module'; const require = __plCreateRequire(import.meta.url);" },
});
execFileSync(process.execPath, [pre, `${root}policies`, `${root}dist/builtin-policies.json`], { stdio: 'inherit' });
rmSync(pre);
