// What the integration tests share around a run of the CLI: finding programs for a narrowed PATH, reading the
// JSON report a run printed, indexing its results, running clean-ups registered along the way, and stopping a
// test host's servers with the host.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { isGoneOrZombie } from './netns.js';
import type { ExecResult, TestHost } from './netns.js';
import type { Report } from '../../../src/report/model.js';
import type { ReportResult as Result } from '../../../src/report/model.js';

/** Absolute path of a program (a run with a PATH of only `node` cannot look `ip` up for `ip netns exec`). */
export function which(cmd: string): string {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin']) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  throw new Error(`${cmd} not found`);
}

/** The JSON report a run printed, or an error that says what the run printed instead. */
export function report(r: ExecResult): Report {
  try {
    return JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`not a JSON report (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''}): ${r.stderr || r.stdout.slice(0, 500)}`);
  }
}

export function byId(rep: Report): Record<string, Result> {
  return Object.fromEntries(rep.results.map((r) => [r.id, r]));
}

/** Runs every clean-up, last registered first, and throws the first failure only after all have run. */
export async function runCleanups(cleanup: Array<() => unknown>): Promise<void> {
  const results = await Promise.allSettled(cleanup.reverse().map(async (f) => f()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Stops the servers a test started in a test host (SIGTERM by pid), waits a bounded while for them to go, then
 * removes the host; throws when one outlived it.
 */
export async function stopServersAndHost(host: TestHost, pids: readonly number[]): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  for (let i = 0; i < 60 && !pids.every(isGoneOrZombie); i++) await new Promise((r) => setTimeout(r, 50));
  await host.destroy();
  const left = pids.filter((p) => !isGoneOrZombie(p));
  if (left.length) throw new Error(`still running after destroy: ${left.join(', ')}`);
}
