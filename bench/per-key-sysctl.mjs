#!/usr/bin/env node
// The per-key-process way of reading sysctls from Node: one `sysctl -n KEY` process per key, spawned without a
// shell (execFileSync with an argument array), one after the other as a resource-per-key auditor does.
// Keys come one a line from the file named by argv[2]. Exits 1 if any key could not be read.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const keys = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const values = {};
let failed = 0;
for (const key of keys) {
  try {
    values[key] = execFileSync('sysctl', ['-n', key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    failed++;
  }
}
process.stdout.write(`${JSON.stringify(values)}\n`);
process.exitCode = failed ? 1 : 0;
