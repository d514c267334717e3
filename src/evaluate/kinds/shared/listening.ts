// Listening sockets read for a person and judged by where they bind: the listener, listeners and limits
// kinds share it.
import type { Listener } from '../../../facts/model.js';
import { AddressSet, isLoopback, isWildcard, parseNetworks } from '../../../lib/address.js';

export type Bind = 'loopback' | 'any' | 'absent' | 'specific' | string[];

/** "127.0.0.1:6379", "[::1]:5432", "[::]:80 (dual-stack)". */
export function endpoint(l: Listener): string {
  const host = l.family === 6 ? `[${l.address}]` : l.address;
  return `${host}:${l.port}`;
}

/**
 * What the socket accepts besides its own address. Only the net.ipv6.bindv6only default is an assumption (ss
 * could not show the socket's flag), so only that says so, and what it was assumed from.
 */
function stackNote(l: Listener): string | undefined {
  if (l.dualStackSource === 'sysctl') {
    const because = l.dualStackAssumedBecause ?? "the socket's own flag was not read";
    return `${l.dualStack ? 'dual-stack: IPv4 too' : 'IPv6 only'}, assumed from net.ipv6.bindv6only = ${l.dualStack ? 0 : 1}: ${because}`;
  }
  return l.dualStack ? 'dual-stack: IPv4 too' : undefined;
}

/** "[::]:9200 (pl-elastic; dual-stack: IPv4 too)": the socket, who owns it, and what else it accepts. */
export function described(l: Listener): string {
  const notes = [...new Set(l.owners.map((o) => o.comm))];
  const stack = stackNote(l);
  if (stack) notes.push(stack);
  return notes.length ? `${endpoint(l)} (${notes.join('; ')})` : endpoint(l);
}

/**
 * The addresses a socket really accepts on: a dual-stack [::] socket takes IPv4 too. (An IPv4-mapped address
 * is read as the IPv4 address it maps by every function of lib/address.ts.)
 */
export function effectiveAddresses(l: Listener): string[] {
  return l.dualStack ? ['::', '0.0.0.0'] : [l.address];
}

/**
 * The user a listener runs as: its owning process's. The socket's uid is only a stand-in when every owner
 * was visible (a socket with no owner then belongs to no process we could see, e.g. another pid namespace);
 * when some /proc/PID/fd were unreadable the owner is unknown, and guessing "root" would be a false finding.
 */
export function userOf(l: Listener, ownersComplete: boolean): string | undefined {
  const fromProcess = l.owners.find((o) => o.user !== undefined)?.user;
  if (fromProcess !== undefined) return fromProcess;
  if (l.owners.length === 0 && !ownersComplete) return undefined;
  return l.user ?? String(l.uid);
}

export function describeBind(b: Bind): string {
  if (Array.isArray(b)) return `bound only to ${b.join(', ')}`;
  return {
    loopback: 'bound to loopback only',
    any: 'bound to all interfaces',
    absent: 'not listening',
    specific: 'bound to specific addresses, not all interfaces',
  }[b];
}

export function bindHolds(b: Bind, ls: Listener[]): boolean {
  const addrs = ls.flatMap(effectiveAddresses);
  if (b === 'loopback') return addrs.every(isLoopback);
  if (b === 'any') return addrs.some(isWildcard);
  if (b === 'specific') return !addrs.some(isWildcard);
  if (b === 'absent') return ls.length === 0;
  // A list is where the service may listen; `present: true` (or bind any) says that it must.
  const allowed = new AddressSet(b.flatMap((entry) => parseNetworks(entry) ?? []));
  return addrs.every((a) => allowed.has(a));
}

/** Entries validation should have refused: judging without them would be judging another policy. */
export function invalidEntries<T>(entries: readonly T[], why: (e: T) => string | undefined): string | undefined {
  const bad = entries.flatMap((e) => {
    const w = why(e);
    return w === undefined ? [] : [w];
  });
  return bad.length ? bad.join('; ') : undefined;
}
