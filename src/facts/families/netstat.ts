// Kernel network counters from /proc/net/netstat (TcpExt, IpExt, ...) and /proc/net/snmp (Ip, Tcp, Udp, ...).
// Both files use the same layout: per section a header line of names, then a line of values.

import type { NetstatFact } from '../model.js';
import type { RawFailure } from '../../transport/types.js';
import { isFailure } from '../../transport/types.js';
import type { FamilyModule } from '../family.js';

export function parseNetstat(text: string, into: NetstatFact = {}): NetstatFact {
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = /^(\w+):\s+(.*)$/.exec(lines[i] as string);
    if (!head) continue;
    const section = head[1] as string;
    const next = lines[i + 1] as string;
    if (!next.startsWith(`${section}:`)) continue;
    const names = (head[2] as string).trim().split(/\s+/);
    const values = next
      .slice(section.length + 1)
      .trim()
      .split(/\s+/);
    // A header whose fields are numbers is a value line seen out of step; pairing must restart on it.
    if (names.every((n) => /^-?\d+$/.test(n))) continue;
    const target = (into[section] ??= {});
    names.forEach((n, k) => {
      const v = Number(values[k]);
      if (values[k] !== undefined && Number.isFinite(v)) target[n] = v;
    });
    i++;
  }
  return into;
}

const FILES = ['/proc/net/netstat', '/proc/net/snmp'];

export const netstatFamily: FamilyModule<true, NetstatFact> = {
  name: 'netstat',
  needs: () => FILES.map((path) => ({ op: 'read', path })),
  parse: (_, raw) => {
    const texts = FILES.map((f) => raw.read(f));
    // One file alone still answers most checks; only when both are unreadable is the family lost.
    if (texts.every(isFailure)) throw new Error(`cannot read ${FILES.join(' or ')}: ${(texts[0] as RawFailure).message}`);
    const fact: NetstatFact = {};
    for (const x of texts) if (typeof x === 'string') parseNetstat(x, fact);
    return fact;
  },
};
