// Pure readings of TCP state counts.
import type { FactsSnapshot, SocketsFact } from '../model.js';
import { parseAddress, unmapped } from '../../lib/address.js';

/** The states whose sockets pile up, and are so counted by whom (`SocketsFact.tcpPiling`). */
export const PILING_STATES = ['SYN_SENT', 'CLOSE_WAIT'] as const;

/** A piling socket's group when its local port is not listened on: the remote end (`to 198.19.48.2:80`, `to [fd00::1]:443`). */
export function towardKey(address: string, port: number): string {
  const a = parseAddress(address);
  const u = a ? unmapped(a) : undefined;
  return u ? `to ${u.family === 6 ? `[${u.text}]` : u.text}:${port}` : `to ${address}:${port}`;
}

/** A piling socket's group when a listener holds its local port: the service's port (`on 8080`). */
export const onKey = (port: number): string => `on ${port}`;

/** A piling group as a result says it: `toward 198.19.48.2:80`, `on port 8080`. */
export const pilingWords = (key: string): string => key.replace(/^to /, 'toward ').replace(/^on /, 'on port ');

/** A peer whose piling sockets are counted: its address and port, and whether the address is the host's own. */
export interface PilingPeer {
  address: string;
  port: number;
  local: boolean;
}

/**
 * One peer's piling sockets, each count with what it is of: SYN_SENT toward ADDRESS:PORT; CLOSE_WAIT on the local
 * PORT when the address is the host's own (its service does not close what clients closed), else toward
 * ADDRESS:PORT (a client here does not close what the peer closed).
 */
export function peerPiling(
  piling: NonNullable<SocketsFact['tcpPiling']>,
  p: PilingPeer,
): Record<(typeof PILING_STATES)[number], { count: number; of: string }> {
  const to = towardKey(p.address, p.port);
  const closeWait = p.local ? onKey(p.port) : to;
  return {
    SYN_SENT: { count: piling.SYN_SENT[to] ?? 0, of: to },
    CLOSE_WAIT: { count: piling.CLOSE_WAIT[closeWait] ?? 0, of: closeWait },
  };
}

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
