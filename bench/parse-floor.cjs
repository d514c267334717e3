// The floor under reading a policy file: a fresh Node that reads FILE and composes it with the YAML reader
// plumbline uses (`yaml`: parse, compose one document with positions, to plain values, as src/policy/load.ts
// does), and nothing else: no schema, no resolve, no facts. bench/targets.mjs times `audit -p checks-1000.yaml`
// against this plus a whole 10-check audit.
//
//   node bench/parse-floor.cjs FILE [READER]   READER: the yaml build to load (default: ../dist/lib/yaml.cjs,
//                                              the very file the built CLI loads; else the yaml package)
'use strict';
const { existsSync, readFileSync, writeSync } = require('node:fs');
const { join } = require('node:path');

const [file, reader = join(__dirname, '..', 'dist', 'lib', 'yaml.cjs')] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/parse-floor.cjs FILE [READER]\n');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const { parseDocument } = require(existsSync(reader) ? reader : 'yaml');
const doc = parseDocument(text, { uniqueKeys: true });
const value = doc.toJS();
writeSync(1, `${value && Array.isArray(value.checks) ? value.checks.length : 0} checks\n`);
