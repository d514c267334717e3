// Preloaded with `node --import bench/rss-hook.mjs ...` by bench/run.mjs when /usr/bin/time is missing: reports
// the process's peak resident set (VmHWM) on stderr as "PEAKRSS <KiB>" when it exits.
import { readFileSync } from 'node:fs';

process.on('exit', () => {
  try {
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kib) process.stderr.write(`PEAKRSS ${kib}\n`);
  } catch {
    // no /proc: nothing to report
  }
});
