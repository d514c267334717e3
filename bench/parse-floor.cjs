// The floor under reading a policy file: a fresh Node that reads FILE and runs the YAML reader plumbline
// tries first (js-yaml's event parser, as src/policy/load-fast.ts calls it) over it, and nothing else: no
// schema, no resolve, no facts. bench/targets.mjs times `audit -p checks-1000.yaml` against this plus a whole
// 10-check audit.
//
//   node bench/parse-floor.cjs FILE [READER]   READER: the js-yaml build to load (default: ../dist/lib/js-yaml.cjs,
//                                              the very file the built CLI loads; else the js-yaml package)
'use strict';
const { existsSync, readFileSync, writeSync } = require('node:fs');
const { join } = require('node:path');

const [file, reader = join(__dirname, '..', 'dist', 'lib', 'js-yaml.cjs')] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/parse-floor.cjs FILE [READER]\n');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const { parseEvents } = require(existsSync(reader) ? reader : 'js-yaml');
const events = parseEvents(text, {});
writeSync(1, `${Array.isArray(events) ? events.length : 0} events\n`);
