#!/usr/bin/env node
// Thin launcher for the esbuild bundle that `npm ci` builds (prepare script).
//
// CommonJS on purpose (bin/package.json says so; the path stays bin/plumbline.js so that existing bin links
// and npx caches keep working): an ES-module entry costs a fresh process several milliseconds of loader start-up.
// The bundle (dist/cli.cjs) and the libraries it loads on demand (dist/lib/*.cjs: YAML readers, schema
// validators) are compiled with the V8 code caches that the build wrote beside them, so a run does not parse
// and compile them again; Node 20 has no compile cache of its own for CommonJS. V8 checks a cache only
// against its own version and flags and the source's length, so each cache is named for the size and
// modification time of the source it was made from (FILE.MTIME-SIZE.cache, MTIME in seconds): an edited file, a copy without
// its times, or a cache from another build finds no cache, and the run compiles normally, only slower. A
// content hash would be safer still but costs as much as the cache saves (~5 ms). bench/README.md has the
// figures.
'use strict';
const { readFileSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');
const { Script } = require('node:vm');
const { createRequire } = require('node:module');

// Set by the build for its warm-up runs: write a cache for every file compiled without one, at exit, so
// that it holds the functions a real run compiles and not only the top level.
const writeCaches = process.env.PLUMBLINE_WRITE_CODE_CACHE === '1';
const uncached = [];
const libs = new Map();

function cacheName(file) {
  const st = statSync(file);
  // Whole seconds: copies that keep times (cp -p, tar, fs.cpSync) keep at least those.
  return `${file}.${Math.floor(st.mtimeMs / 1000)}-${st.size}.cache`;
}

function run(file, source) {
  const cache = cacheName(file);
  let cachedData;
  try {
    cachedData = readFileSync(cache);
  } catch {
    // No cache for this very file: compile as usual.
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  if (writeCaches && cachedData === undefined) uncached.push({ cache, script });
  // With PLUMBLINE_TRACE (bench/, tests): say whether the cache was used, so a silently rejected one shows.
  if (process.env.PLUMBLINE_TRACE) {
    const state = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
    process.stderr.write(`trace code cache ${relative(join(__dirname, '..'), file)}: ${state}\n`);
  }
  const mod = { exports: {} };
  const plain = createRequire(file);
  // The bundle names its on-demand libraries ./lib/NAME.cjs; they go through this loader too.
  const req = (id) => (id.startsWith('./lib/') ? lib(join(dirname(file), id)) : plain(id));
  script.runInThisContext().call(mod.exports, mod.exports, req, mod, file, dirname(file));
  return mod.exports;
}

function lib(file) {
  if (!libs.has(file)) libs.set(file, run(file, readFileSync(file, 'utf8')));
  return libs.get(file);
}

if (writeCaches) {
  process.once('exit', () => {
    for (const { cache, script } of uncached) writeFileSync(cache, script.createCachedData());
  });
}

const cli = join(__dirname, '..', 'dist', 'cli.cjs');
let source;
try {
  source = readFileSync(cli, 'utf8');
} catch {
  process.stderr.write('plumbline: the CLI is not built yet; run `npm ci` or `npm run build` first\n');
  process.exit(3);
}
run(cli, source);
