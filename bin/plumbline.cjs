#!/usr/bin/env node
// Thin launcher for the esbuild bundle that `npm ci` builds (prepare script).
//
// CommonJS on purpose: an ES-module entry costs a fresh process several milliseconds of loader start-up.
// The bundle is compiled with the V8 code cache that the build wrote beside it (dist/cli.cjs.cache), so a
// run does not parse and compile ~150 KB of JavaScript again; Node 20 has no compile cache of its own for
// CommonJS. V8 checks the cache against its version, its flags and the source's length, and rejects a
// mismatch: the run then compiles normally and is only slower. The build empties dist/ before it writes
// either file, so a bundle never meets a cache from another build. bench/README.md has the figures.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const file = join(__dirname, '..', 'dist', 'cli.cjs');
const cacheFile = `${file}.cache`;

let source;
try {
  source = readFileSync(file, 'utf8');
} catch {
  process.stderr.write('plumbline: the CLI is not built yet; run `npm ci` or `npm run build` first\n');
  process.exit(3);
}
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // No cache (a build without one, a read-only copy): compile as usual.
}

const { Script } = require('node:vm');
const { createRequire } = require('node:module');
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
// The build runs the CLI once with this set, so the cache holds the functions a real run compiles, not only
// the top level.
if (process.env.PLUMBLINE_WRITE_CODE_CACHE === cacheFile) {
  process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
}
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
