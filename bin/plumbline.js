#!/usr/bin/env node
// Thin launcher: the CLI lives in the esbuild bundle that `npm ci` builds (prepare script).
import('../dist/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
    process.stderr.write('plumbline: the CLI is not built yet; run `npm ci` or `npm run build` first\n');
    process.exit(3);
  }
  throw err;
});
