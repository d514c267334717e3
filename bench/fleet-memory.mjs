#!/usr/bin/env node
// Whether a fleet audit's memory is flat per host: plumbline's peak RSS (GNU time) for 40, 80, 160 and 320 hosts
// at the same parallelism, every host answering the same batch with answers of the same size. The namespace
// hosts of bench/fleet.mjs cannot show this: they share this machine's process table, so each host's answer
// grows with the number of hosts (every host sees every other host's sshd in /proc). Here ssh is the unit
// tests' stand-in (test/helpers/fake-ssh.sh), which runs plumbline's real remote program in a local shell: the
// auditor parses, judges and keeps exactly what it would over a network. Also: the fleet report's size per
// host, the part of the memory that must grow with the hosts (a report keeps every host's results).
//
//   node bench/fleet-memory.mjs [--hosts 40,80,160,320] [--parallel 32]
//
// Network: none (no connection is made; the remote program reads this machine's /proc and /sys). Needs GNU time.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = { hosts: [40, 80, 160, 320], parallel: 32 };
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--hosts') opt.hosts = args[++i].split(',').map(Number);
  else if (args[i] === '--parallel') opt.parallel = Number(args[++i]);
  else throw new Error(`unknown option ${args[i]}`);
}

const work = mkdtempSync(join(tmpdir(), 'pl-bench-fleet-mem-'));
try {
  const bin = join(work, 'bin');
  execFileSync('mkdir', ['-p', bin]);
  writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nexec ${join(root, 'test/helpers/fake-ssh.sh')} "$@"\n`);
  chmodSync(join(bin, 'ssh'), 0o755);
  const rows = [];
  for (const n of opt.hosts) {
    const out = join(work, `fleet-${n}.json`);
    const targets = Array.from({ length: n }, (_, i) => ['--target', `ssh://h${i + 1}`]).flat();
    const timing = join(work, `time-${n}`);
    try {
      execFileSync(
        '/usr/bin/time',
        [
          '-f',
          '%M %e',
          '-o',
          timing,
          'node',
          join(root, 'dist/cli.cjs'),
          'audit',
          ...targets,
          '--hosts-parallel',
          String(opt.parallel),
          '--format',
          `json=${out}`,
        ],
        { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: ['ignore', 'ignore', 'inherit'] },
      );
    } catch (e) {
      // Exit 1: the fleet is not ready, which is what this machine's own facts make it.
      if (e.status !== 1) throw e;
    }
    const [kib, secs] = execFileSync('cat', [timing], { encoding: 'utf8' }).trim().split('\n').at(-1).split(' ').map(Number);
    rows.push({ hosts: n, peakRssMiB: +(kib / 1024).toFixed(1), seconds: secs, reportKiBPerHost: +(statSync(out).size / 1024 / n).toFixed(1) });
    console.log(JSON.stringify(rows.at(-1)));
  }
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1], rows[i]];
    console.log(`${a.hosts} -> ${b.hosts} hosts: +${((b.peakRssMiB - a.peakRssMiB) / (b.hosts - a.hosts)).toFixed(2)} MiB a host`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
