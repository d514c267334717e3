// A report whose appendix holds every shape of the lower layers' facts: the neighbour table as /proc/net/arp
// gives it without `ip` (its note, IPv6 unreadable) with a point-to-point link, and the pings of the edge and bad
// snapshot (replies, "Destination Host Unreachable", a path MTU known to the host) with the bad one's where they
// differ (nothing sent), and their tracepaths. Every value was captured on a real host (fixtures/neigh/, fixtures/snapshots/).
import { readFileSync } from 'node:fs';
import { neighboursFamily } from '../../src/facts/families/neighbours.js';
import type { FactsSnapshot, IcmpFact } from '../../src/facts/model.js';
import type { Report } from '../../src/report/model.js';
import { readFamily } from './family.js';
import { fixtureReader, replayTransport } from './replay.js';
import { ROOT } from './reports.js';

export const icmpOf = (host: string): IcmpFact =>
  (JSON.parse(readFileSync(`${ROOT}fixtures/snapshots/${host}.json`, 'utf8')) as FactsSnapshot).icmp as IcmpFact;

/** The captured namespace's links' flags words (a tun link among them), as /sys/class/net/NAME/flags holds them. */
export function flagFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const line of fixtureReader('neigh')('ns.sys-class-net-flags.txt').trim().split('\n')) {
    const [path, value] = line.split(' ') as [string, string];
    files[path] = `${value}\n`;
  }
  return files;
}

export async function lowerLayersReport(base: Report): Promise<Report> {
  const neighbours = await readFamily(
    neighboursFamily,
    { timeoutMs: 10_000, afterPings: false },
    replayTransport({
      files: { '/proc/net/arp': fixtureReader('neigh')('proc.proc-net-arp.txt'), ...flagFiles() },
      deriveDirs: true,
    }),
  );
  return { ...base, facts: { ...base.facts!, neighbours, icmp: icmpOf('edge') } };
}
