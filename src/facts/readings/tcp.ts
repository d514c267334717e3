// Pure readings of TCP state counts.
import type { FactsSnapshot } from '../model.js';

/**
 * TIME_WAIT sockets as a share of the ephemeral port range. Each closed outbound connection holds its local
 * port in TIME_WAIT for a while; when the holders approach the size of the range, new connections to the same
 * destination fail with EADDRNOTAVAIL. undefined with the reason when the range is not in the facts.
 */
export function timeWaitRatio(facts: FactsSnapshot, timeWait: number, rangeKey: string): { ratio: number; ports: number } | { error: string } {
  const f = facts.sysctl?.[rangeKey];
  if (!f || !('value' in f)) return { error: `${rangeKey} was not read${f && 'error' in f ? `: ${f.error}` : f && 'missing' in f ? `: ${f.missing}` : ''}` };
  const [lo, hi] = f.value.split(/\s+/).map(Number);
  if (lo === undefined || hi === undefined || !Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
    return { error: `${rangeKey} = "${f.value}" is not a port range` };
  }
  const ports = hi - lo + 1;
  return { ratio: timeWait / ports, ports };
}
