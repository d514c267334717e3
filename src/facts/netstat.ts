// Kernel network counters from /proc/net/netstat (TcpExt, IpExt, ...) and /proc/net/snmp (Ip, Tcp, Udp, ...).
// Both files use the same layout: per section a header line of names, then a line of values.

import type { FamilyError, NetstatFact } from './model.js';
import type { Transport } from '../transport/types.js';

export function parseNetstat(text: string, into: NetstatFact = {}): NetstatFact {
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = /^(\w+):\s+(.*)$/.exec(lines[i] as string);
    if (!head) continue;
    const section = head[1] as string;
    const next = lines[i + 1] as string;
    if (!next.startsWith(`${section}:`)) continue;
    const names = (head[2] as string).trim().split(/\s+/);
    const values = next.slice(section.length + 1).trim().split(/\s+/);
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

export async function collectNetstat(t: Transport): Promise<NetstatFact> {
  const files = ['/proc/net/netstat', '/proc/net/snmp'];
  const texts = await Promise.all(files.map((f) => t.readFile(f).then((s) => s, (e: Error) => e)));
  const errors = texts.filter((x): x is Error => x instanceof Error);
  // One file alone still answers most checks; only when both are unreadable is the family lost.
  if (errors.length === files.length) throw new Error(`cannot read ${files.join(' or ')}: ${errors[0]?.message}`);
  const fact: NetstatFact = {};
  for (const x of texts) if (typeof x === 'string') parseNetstat(x, fact);
  return fact;
}
