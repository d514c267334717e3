// The pings the icmp and mtu checks send from the audited host, as plan and evaluate both name them: one key per
// distinct ping (host, count, payload, interval, don't-fragment), so checks that ask the same one share it.
import type { PingTarget } from './model.js';

/** What an mtu check sends beside its full-size probe: a small don't-fragment probe (ping's default payload). */
const MTU_SMALL_SIZE = 56;
/** Probes per don't-fragment ping: the first meets the router's "fragmentation needed", the second the kernel's cached path MTU. */
const MTU_PROBES = 2;
/** The interval between an mtu check's probes. */
const MTU_INTERVAL_MS = 200;

export function pingKey(p: Omit<PingTarget, 'key'>): string {
  return `ping ${p.host.toLowerCase()} count=${p.count} size=${p.size} interval=${p.intervalMs}ms${p.dontFragment ? ' df' : ''}`;
}

/** An mtu check's two probes: the full-size one and the small one that tells a blackhole from an unreachable host. */
export function mtuPings(host: string, size: number): { large: PingTarget; small: PingTarget } {
  const of = (s: number): PingTarget => {
    const p = { host, count: MTU_PROBES, size: s, intervalMs: MTU_INTERVAL_MS, dontFragment: true };
    return { key: pingKey(p), ...p };
  };
  return { large: of(size), small: of(MTU_SMALL_SIZE) };
}

/** How long ping waits for the replies still missing after its last probe (`ping -W`, whole seconds). */
export const PING_WAIT_S = 3;
/** Time to start ping and resolve the host, beyond its probes and its wait. */
const PING_GRACE_MS = 2_000;

/**
 * The longest one ping may run: its probes' spacing, its wait for the last replies and a grace to start; a
 * black-holed target costs this and no more.
 */
export function pingBoundMs(p: Pick<PingTarget, 'count' | 'intervalMs'>): number {
  return (p.count - 1) * p.intervalMs + PING_WAIT_S * 1_000 + PING_GRACE_MS;
}

/** Hops tracepath walks at most (`-m`): a path longer than this still gives the path MTU of its first hops. */
export const TRACEPATH_HOPS = 8;
/** tracepath has no timeout of its own and spends about three seconds on each hop that does not answer. */
const TRACEPATH_SILENT_HOP_MS = 3_000;

/** The longest a tracepath may run: every hop silent (a blackhole, a filtered path), and a grace to start. */
export function tracepathBoundMs(): number {
  return TRACEPATH_HOPS * TRACEPATH_SILENT_HOP_MS + PING_GRACE_MS;
}
