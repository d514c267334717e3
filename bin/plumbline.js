#!/usr/bin/env node
// Thin launcher for the esbuild bundle that `npm ci` builds (prepare script): it requires dist/cli.cjs.
//
// CommonJS on purpose (bin/package.json says so; the path stays bin/plumbline.js so that existing bin links
// and npx caches keep working): an ES-module entry costs a fresh process the start-up of Node's ES-module
// loader. Where Node has a compile cache of its own (module.enableCompileCache, Node 22.1 and later), it is
// switched on first, so that later runs need not parse and compile the bundle again; Node 20 has none, and
// then the bundle simply compiles as usual. bench/README.md has the figures.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(cli)) {
  process.stderr.write('plumbline: the CLI is not built yet; run `npm ci` or `npm run build` first\n');
  process.exit(3);
}
try {
  const { enableCompileCache } = require('node:module');
  if (typeof enableCompileCache === 'function') enableCompileCache();
} catch {
  // A cache that cannot be set up (read-only temp dir, an odd Node) only costs compile time.
}
require(cli);
