import type { Check, ListenerSelector, Matcher } from '../../policy/model.js';
import type { FactsSnapshot, Listener } from '../../facts/model.js';
import type { ResultDetail } from '../model.js';
import { describe, match } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';
import { AddressSet, hostPortCovers, invalidHostPort, invalidNetwork, isLoopback, isWildcard, parseHostPort, parseNetworks } from '../../lib/address.js';
import type { HostPort } from '../../lib/address.js';

type Bind = 'loopback' | 'any' | 'absent' | 'specific' | string[];

interface ListenerExpect {
  bind?: Bind;
  present?: boolean;
  user?: Matcher;
  process?: Matcher;
}

/** "127.0.0.1:6379", "[::1]:5432", "[::]:80 (dual-stack)". */
function endpoint(l: Listener): string {
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
function described(l: Listener): string {
  const notes = [...new Set(l.owners.map((o) => o.comm))];
  const stack = stackNote(l);
  if (stack) notes.push(stack);
  return notes.length ? `${endpoint(l)} (${notes.join('; ')})` : endpoint(l);
}

/**
 * The addresses a socket really accepts on: a dual-stack [::] socket takes IPv4 too. (An IPv4-mapped address
 * is read as the IPv4 address it maps by every function of lib/address.ts.)
 */
function effectiveAddresses(l: Listener): string[] {
  return l.dualStack ? ['::', '0.0.0.0'] : [l.address];
}

/**
 * The user a listener runs as: its owning process's. The socket's uid is only a stand-in when every owner
 * was visible (a socket with no owner then belongs to no process we could see, e.g. another pid namespace);
 * when some /proc/PID/fd were unreadable the owner is unknown, and guessing "root" would be a false finding.
 */
function userOf(l: Listener, ownersComplete: boolean): string | undefined {
  const fromProcess = l.owners.find((o) => o.user !== undefined)?.user;
  if (fromProcess !== undefined) return fromProcess;
  if (l.owners.length === 0 && !ownersComplete) return undefined;
  return l.user ?? String(l.uid);
}

export function ownerUnknown(ownersComplete: boolean): string {
  return `owning process unknown${ownersComplete ? '' : ' (some /proc/PID/fd could not be read)'}`;
}

function describeBind(b: Bind): string {
  if (Array.isArray(b)) return `bound only to ${b.join(', ')}`;
  return {
    loopback: 'bound to loopback only',
    any: 'bound to all interfaces',
    absent: 'not listening',
    specific: 'bound to specific addresses, not all interfaces',
  }[b];
}

function describeListener(e: ListenerExpect): string {
  const parts: string[] = [];
  if (e.present !== undefined) parts.push(e.present ? 'listening' : 'not listening');
  if (e.bind !== undefined) parts.push(describeBind(e.bind));
  if (e.user !== undefined) parts.push(`user ${describe(e.user)}`);
  if (e.process !== undefined) parts.push(`process ${describe(e.process)}`);
  return parts.join(', ');
}

function bindBreach(b: Bind): string {
  if (Array.isArray(b)) return `listens outside ${b.join(', ')}`;
  if (b === 'loopback') return 'listens beyond loopback';
  if (b === 'any') return 'does not listen on all interfaces';
  if (b === 'specific') return 'listens on all interfaces';
  return 'is listening';
}

function bindHolds(b: Bind, ls: Listener[]): boolean {
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
function invalidEntries<T>(entries: readonly T[], why: (e: T) => string | undefined): string | undefined {
  const bad = entries.flatMap((e) => {
    const w = why(e);
    return w === undefined ? [] : [w];
  });
  return bad.length ? bad.join('; ') : undefined;
}

export function evaluateListener(check: Check, sel: ListenerSelector, facts: FactsSnapshot): Outcome {
  const e = (check.expect ?? {}) as ListenerExpect;
  const expected = describeListener(e);
  if (Array.isArray(e.bind)) {
    const bad = invalidEntries(e.bind, invalidNetwork);
    if (bad) return errorOutcome(expected, `invalid bind entry: ${bad}`);
  }
  const sockets = family(facts, 'sockets', expected);
  if (!sockets.ok) return sockets.outcome;
  const proto = sel.protocol ?? 'tcp';
  const ls = sockets.value.listeners.filter((l) => l.protocol === proto && l.port === sel.port);
  const what = `${proto}/${sel.port}`;
  const actual = ls.length ? ls.map(described).join(', ') : 'nothing listening';
  if (ls.length === 0) {
    if (e.bind === 'absent' || e.present === false) return { status: 'pass', expected, actual, message: `nothing listens on ${what}` };
    // "any" or an address list asks for the service to be there; loopback/specific/user/process only restrict it.
    const demanded = e.present === true || e.bind === 'any' || Array.isArray(e.bind);
    if (demanded) return { status: 'fail', expected, actual, message: `nothing listens on ${what}` };
    return { status: 'skip', expected, actual, message: `nothing listens on ${what}; the restriction has nothing to apply to` };
  }
  const whys: string[] = [];
  const unknown = new Set<string>();
  if (e.present === false || e.bind === 'absent') whys.push(`${what} is listening: ${actual}`);
  else if (e.bind !== undefined && !bindHolds(e.bind, ls)) whys.push(`${what} ${bindBreach(e.bind)}: ${actual}`);
  for (const l of ls) {
    if (e.user !== undefined) {
      const user = userOf(l, sockets.value.ownersComplete);
      if (user === undefined) unknown.add(`${endpoint(l)}: ${ownerUnknown(sockets.value.ownersComplete)}`);
      else if (!match(user, e.user).ok) whys.push(`${endpoint(l)} runs as ${user}`);
    }
    if (e.process !== undefined) {
      const names = l.owners.map((o) => o.comm);
      if (names.length === 0) unknown.add(`${endpoint(l)}: ${ownerUnknown(sockets.value.ownersComplete)}`);
      else if (!names.some((n) => match(n, e.process as Matcher).ok)) whys.push(`${endpoint(l)} is owned by ${names.join(', ')}`);
    }
  }
  if (whys.length) return { status: 'fail', expected, actual, message: whys.join('; ') };
  if (unknown.size) return { status: 'error', expected, actual, message: [...unknown].join('; ') };
  return { status: 'pass', expected, actual, message: `${what}: ${actual}` };
}

/** Every address the socket accepts on must be allowed by some entry: "[::]:80" and "0.0.0.0:80" together cover a dual-stack [::]:80. */
function covered(l: Listener, allow: HostPort[]): boolean {
  return effectiveAddresses(l).every((x) => allow.some((a) => hostPortCovers(a, x, l.port)));
}

export function evaluateListeners(
  check: Check,
  sel: { protocol?: 'tcp' | 'udp'; unprivileged?: boolean },
  facts: FactsSnapshot,
): Outcome {
  const e = (check.expect ?? {}) as { only?: (string | number)[]; user?: Matcher };
  const parts: string[] = [];
  if (e.only) parts.push(`only ${e.only.join(', ')}`);
  if (e.user !== undefined) parts.push(`every listener's user ${describe(e.user)}`);
  const expected = parts.join('; ');
  const invalid = invalidEntries(e.only ?? [], invalidHostPort);
  if (invalid) return errorOutcome(expected, `invalid allow-list entry: ${invalid}`);
  const sockets = family(facts, 'sockets', expected);
  if (!sockets.ok) return sockets.outcome;
  let ls = sockets.value.listeners.filter((l) => !sel.protocol || l.protocol === sel.protocol);
  if (sel.unprivileged) {
    // Ports below ip_unprivileged_port_start need root (or CAP_NET_BIND_SERVICE) to bind: root is excusable there.
    const start = facts.sysctl?.['net.ipv4.ip_unprivileged_port_start'];
    const first = start && 'value' in start ? Number(start.value) : 1024;
    ls = ls.filter((l) => l.port >= first);
  }
  const allow = (e.only ?? []).map(parseHostPort).filter((a): a is HostPort => a !== undefined);
  const details: ResultDetail[] = ls.map((l) => {
    const subject = `${l.protocol} ${described(l)}`;
    const whys: string[] = [];
    const user = userOf(l, sockets.value.ownersComplete);
    if (e.only && !covered(l, allow)) whys.push('not in the allow-list');
    if (e.user !== undefined && user !== undefined && !match(user, e.user).ok) whys.push(`runs as ${user}`);
    if (whys.length) return { subject, status: 'fail', actual: whys.join('; ') };
    if (e.user !== undefined && user === undefined) return { subject, status: 'error', actual: ownerUnknown(sockets.value.ownersComplete) };
    return { subject, status: 'pass', actual: `user ${user ?? 'unknown'}` };
  });
  const bad = details.filter((d) => d.status === 'fail');
  const unknown = details.filter((d) => d.status === 'error');
  const actual = ls.length ? ls.map(described).join(', ') : 'nothing listening';
  if (bad.length) {
    return { status: 'fail', expected, actual, message: bad.map((d) => `${d.subject}: ${d.actual}`).join('; '), details };
  }
  if (unknown.length) {
    return { status: 'error', expected, actual, message: `${unknown.length} of ${details.length} listener(s) could not be judged: ${ownerUnknown(sockets.value.ownersComplete)}`, details };
  }
  return { status: 'pass', expected, actual, message: `${ls.length} listener(s) conform`, details };
}
