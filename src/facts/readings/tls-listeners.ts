// Which of the host's listeners to probe as TLS, and where a client on the host reaches each: a pure reading of
// the sockets fact.
import type { Listener } from '../model.js';

/** Where a client on this host reaches a listener: loopback for a wildcard, else the bound address itself. */
function reachAt(l: Listener): string {
  if (l.address === '0.0.0.0') return '127.0.0.1';
  if (l.address === '::') return l.dualStack ? '127.0.0.1' : '::1';
  return l.address.startsWith('::ffff:') ? l.address.slice(7) : l.address;
}

/** One entry per port and reachable address, in port order. */
export function tlsCandidates(listeners: readonly Listener[], ports: readonly number[]): Array<{ listener: Listener; connectTo: string }> {
  const seen = new Set<string>();
  const out: Array<{ listener: Listener; connectTo: string }> = [];
  for (const l of [...listeners].sort((a, b) => a.port - b.port)) {
    if (l.protocol !== 'tcp' || !ports.includes(l.port)) continue;
    const connectTo = reachAt(l);
    const key = `${connectTo} ${l.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ listener: l, connectTo });
  }
  return out;
}
