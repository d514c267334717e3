// The route the kernel would choose, read from route facts. Pure: the rules and tables in, one choice out.
//
// A check such as `route: default` asks about traffic leaving the host, so the question is the one the kernel
// answers for a generic locally generated packet: from an unbound socket (no source address yet, no output
// device), mark 0, TOS 0, to a destination that no more specific route covers. Rules are walked in priority
// order as fib_rules_lookup does; a rule whose selectors this packet may or may not meet (a source or
// destination prefix, a user, a protocol, a port) is passed over and named, since it holds for some traffic only.
// A table whose routes more specific than the default together cover every address (OpenVPN's def1:
// 0.0.0.0/1 and 128.0.0.0/1) answers with those routes: no destination is left for its default.
import type { RouteFact, RouteRule, RoutesFact } from '../model.js';
import { AddressSet, parseNetwork, parseAddress } from '../../lib/address.js';

/**
 * Older snapshots held a bare array: the main table (IPv6 from every table) and no rules, judged as they always
 * were (the kernel's default rules), without a note on every result.
 */
export function routingOf(v: RoutesFact | RouteFact[]): RoutesFact {
  return Array.isArray(v) ? { source: 'proc', routes: v } : v;
}

/** The rules every kernel starts with (IPv6 has no rule for the `default` table). */
function defaultRules(family: 4 | 6): RouteRule[] {
  const rules: RouteRule[] = [
    { family, priority: 0, action: 'lookup', table: 'local' },
    { family, priority: 32766, action: 'lookup', table: 'main' },
  ];
  if (family === 4) rules.push({ family, priority: 32767, action: 'lookup', table: 'default' });
  return rules;
}

/** A destination as a network: `default` is the family's /0. */
export interface Destination {
  family: 4 | 6;
  address: string;
  prefix: number;
}

export function destinationOf(text: string, family?: 4 | 6): Destination | undefined {
  if (text === 'default') return family === undefined ? undefined : { family, address: family === 4 ? '0.0.0.0' : '::', prefix: 0 };
  const n = parseNetwork(text);
  if (!n || (family !== undefined && n.address.family !== family)) return undefined;
  return { family: n.address.family, address: n.address.text, prefix: n.prefix };
}

function sameDestination(routeDest: string, want: Destination): boolean {
  const d = destinationOf(routeDest, want.family);
  return d !== undefined && d.prefix === want.prefix && d.address === want.address;
}

type Selects = 'yes' | 'no' | 'some';

/** Whether one selector holds for the generic outbound packet. */
function selectorHolds(name: string, value: string): Selects {
  switch (name) {
    case 'fwmark': {
      // fib_rule_match: (mark ^ rule mark) & mask; the generic packet carries mark 0.
      const [mark, mask] = value.split('/').map((p) => Number.parseInt(p, 16));
      return ((0 ^ (mark ?? 0)) & (mask ?? 0xffffffff)) === 0 ? 'yes' : 'no';
    }
    case 'iif':
      // Locally generated packets are looked up with the loopback device as their input interface.
      return value === 'lo' ? 'yes' : 'no';
    case 'oif':
    case 'tos':
    case 'dsfield':
    case 'tun_id':
    case 'l3mdev':
      // No output device chosen, TOS 0, no tunnel metadata, no VRF: these never hold for it.
      return 'no';
    default:
      // from/to prefixes, uidrange, ipproto, ports and selectors this reader does not know: some packets only.
      return 'some';
  }
}

/** Whether a rule selects the generic outbound packet: every selector must hold, `not` inverts the whole match. */
export function ruleSelects(rule: RouteRule): Selects {
  let all: Selects = 'yes';
  for (const [name, value] of Object.entries(rule.selectors ?? {})) {
    const s = selectorHolds(name, value);
    if (s === 'no') {
      all = 'no';
      break;
    }
    if (s === 'some') all = 'some';
  }
  if (!rule.not || all === 'some') return all;
  return all === 'yes' ? 'no' : 'yes';
}

/** Whether the local table's destinations (the host's addresses, and loopback's /8) hold the address. */
export function ownAddress(fact: RoutesFact, address: string): boolean {
  return new AddressSet((fact.local ?? []).flatMap((d) => parseNetwork(d) ?? [])).has(address);
}

/** Whether the destination is one address (a /32 or /128): the kernel then looks it up by longest prefix. */
function isAddress(dest: Destination): boolean {
  return dest.prefix === (dest.family === 4 ? 32 : 128);
}

/** The prefix length of a route's destination that holds the address, or undefined when it does not hold it. */
function holds(routeDest: string, want: Destination): number | undefined {
  const d = destinationOf(routeDest, want.family);
  const n = d && parseNetwork(`${d.address}/${d.prefix}`);
  return n && new AddressSet([n]).has(want.address) ? n.prefix : undefined;
}

/**
 * The table's route for the destination: for a network, the route of that very destination; for one address
 * (`198.51.100.7/32`), the route the kernel picks for it, the longest prefix that holds it (as `ip route get`).
 * Then the lowest metric; on a tie, the first the kernel lists.
 */
export function tableRoute(routes: RouteFact[], family: 4 | 6, table: string, dest: Destination): RouteFact | undefined {
  const lookup = isAddress(dest);
  let best: RouteFact | undefined;
  let bestPrefix = -1;
  for (const r of routes) {
    // A TOS route carries only packets with that TOS, never the generic one.
    if (r.family !== family || (r.table ?? 'main') !== table || r.tos !== undefined) continue;
    const prefix = lookup ? holds(r.dest, dest) : sameDestination(r.dest, dest) ? dest.prefix : undefined;
    if (prefix === undefined) continue;
    if (!best || prefix > bestPrefix || (prefix === bestPrefix && r.metric < best.metric)) {
      best = r;
      bestPrefix = prefix;
    }
  }
  return best;
}

function isRefusal(r: RouteFact): boolean {
  return r.type === 'blackhole' || r.type === 'unreachable' || r.type === 'prohibit';
}

export interface RouteChoice {
  family: 4 | 6;
  /** The unicast route the kernel takes; absent when it takes none. */
  route?: RouteFact;
  /** When there is no route: the blackhole/unreachable/prohibit route that answered instead. */
  refusingRoute?: RouteFact;
  /** The rule that led to the route or refusal (itself the refusal for a blackhole/unreachable/prohibit rule). */
  rule?: RouteRule;
  /** Why there is no route, in words. */
  why?: string;
  /**
   * def1 style: routes more specific than the default that together cover the family's whole address space in
   * the table the rule looked up, in address order. Traffic leaving the host takes these, never the default;
   * `route` is the first of them that sends (or `refusingRoute` the first, when every one of them refuses).
   */
  covering?: RouteFact[];
  /** With `covering`: the table's own default, which they leave without traffic. */
  bypassed?: RouteFact;
  /** Rules passed over because they select only some packets (a source, a destination, a user, a port). */
  partial: RouteRule[];
  /** The rules were unknown and the kernel's default rules were assumed. */
  rulesAssumed: boolean;
}

/**
 * The route the kernel uses for the generic outbound packet to `dest` (`default`: any destination no more
 * specific route covers): rules in priority order; `lookup` finds the table's route for that destination
 * (a blackhole, unreachable or prohibit route ends the search with no route; throw, no route at all, or one
 * suppressed by suppress_prefixlength/suppress_ifgroup go on to the next rule); `goto` continues at its
 * target; `nop` does nothing; a blackhole/unreachable/prohibit rule ends it with no route. For `default`, a
 * looked-up table whose more specific routes cover every address (coveringRoutes) answers with those first.
 */
export function kernelRoute(fact: RoutesFact, family: 4 | 6, destText = 'default'): RouteChoice {
  const dest = destinationOf(destText, family);
  const rulesAssumed = fact.rules === undefined;
  const rules = (fact.rules?.filter((r) => r.family === family) ?? defaultRules(family)).slice().sort((a, b) => a.priority - b.priority);
  const choice: RouteChoice = { family, partial: [], rulesAssumed };
  if (!dest) return { ...choice, why: `${destText} is not an IPv${family} destination` };
  // One of the host's own addresses: the local table, which the kernel's first rule looks up, delivers it through
  // loopback before any other table is read (the routes family keeps only its destinations).
  if (isAddress(dest) && ownAddress(fact, dest.address)) {
    return { ...choice, route: { family, dest: dest.address, dev: 'lo', table: 'local', metric: 0 } };
  }
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const selects = ruleSelects(rule);
    if (selects === 'some') choice.partial.push(rule);
    if (selects !== 'yes') continue;
    if (rule.action === 'nop') continue;
    if (rule.action === 'goto') {
      // The kernel only accepts forward jumps; a goto to a missing priority is "unresolved" and falls through.
      const to = rules.findIndex((r, j) => j > i && r.priority === rule.target);
      if (to > i) i = to - 1;
      continue;
    }
    if (rule.action !== 'lookup') return { ...choice, rule, why: `rule ${rule.priority} is ${rule.action}: the kernel refuses every packet it selects` };
    if (rule.table === undefined) continue;
    const found = tableRoute(fact.routes, family, rule.table, dest);
    const cover = dest.prefix === 0 ? coveringRoutes(fact.routes, family, rule.table, rule) : undefined;
    if (cover) {
      const sends = cover.find((r) => !isRefusal(r));
      const bypassed = found ? { bypassed: found } : {};
      if (!sends) {
        return {
          ...choice,
          rule,
          refusingRoute: cover[0],
          covering: cover,
          ...bypassed,
          why: `${cover.map(describeRoute).join(' and ')} in table ${rule.table}: the kernel refuses every packet`,
        };
      }
      return { ...choice, rule, route: sends, covering: cover, ...bypassed };
    }
    if (!found || found.type === 'throw') continue;
    if (isRefusal(found))
      return { ...choice, rule, refusingRoute: found, why: `${describeRoute(found)} in table ${found.table ?? 'main'}: the kernel refuses the packet` };
    if (suppressed(rule, found, dest)) continue;
    return { ...choice, rule, route: found };
  }
  return { ...choice, why: `no rule leads to a table with a ${destText} IPv${family} route` };
}

/** Longest prefix a def1-style split may use and still be seen (see coveringRoutes). */
const COVER_MAX_PREFIX = 8;

/**
 * Routes more specific than /0 in one table that together cover every address of the family, so that the
 * kernel's longest-prefix match never reaches the table's default: OpenVPN's def1 (`0.0.0.0/1` and
 * `128.0.0.0/1`, `::/1` and `8000::/1`) and finer splits of the same kind (`0.0.0.0/2` ... `192.0.0.0/2`).
 * Returns the outermost of them (a route inside another one is an exception for some destinations, like a
 * LAN route beside a default), lowest metric first per destination, in address order; undefined when they do
 * not cover everything.
 *
 * Kept simple, and so limited: only routes of prefix length 1 to 8 count (each is then a range of first
 * bytes, and 256 slots say whether they cover the space); a split into longer prefixes, a split spread over
 * several tables (half in a policy table, half in main), or one that a throw route interrupts is not seen, and
 * the generic destination is then one that only the default covers, as for any table. Unicast, blackhole,
 * unreachable and prohibit routes cover; a route the rule suppresses (suppress_prefixlength,
 * suppress_ifgroup) does not.
 */
function coveringRoutes(routes: RouteFact[], family: 4 | 6, table: string, rule: RouteRule): RouteFact[] | undefined {
  const best = new Map<string, { r: RouteFact; start: number; size: number; prefix: number }>();
  for (const r of routes) {
    if (r.family !== family || (r.table ?? 'main') !== table || r.tos !== undefined || r.dest === 'default') continue;
    const d = destinationOf(r.dest, family);
    if (!d || d.prefix < 1 || d.prefix > COVER_MAX_PREFIX) continue;
    const key = `${d.address}/${d.prefix}`;
    const seen = best.get(key);
    if (seen && seen.r.metric <= r.metric) continue;
    const first = firstByte(d.address);
    if (first === undefined) continue;
    best.set(key, { r, start: first, size: 1 << (8 - d.prefix), prefix: d.prefix });
  }
  const kept = [...best.values()].filter(({ r, prefix }) => r.type !== 'throw' && !suppressed(rule, r, { family, address: '', prefix }));
  const outer = kept.filter((a) => !kept.some((b) => b !== a && b.prefix < a.prefix && b.start <= a.start && a.start < b.start + b.size));
  let covered = 0;
  for (const o of outer.sort((a, b) => a.start - b.start)) {
    if (o.start > covered) return undefined;
    covered = Math.max(covered, o.start + o.size);
  }
  return covered >= 256 ? outer.map((o) => o.r) : undefined;
}

/** The first byte of an address in canonical text (`128.0.0.0` is 128, `8000::` is 0x80). */
function firstByte(address: string): number | undefined {
  const a = parseAddress(address);
  if (!a) return undefined;
  if (a.family === 4) return Number(a.text.split('.')[0]);
  // Canonical IPv6 text: `::...` starts with a zero group; otherwise the first group, up to four hex digits.
  const group = a.text.startsWith('::') ? 0 : Number.parseInt(a.text.split(':')[0]!, 16);
  return group >> 8;
}

/** suppress_prefixlength N ignores a route of prefix length N or shorter; suppress_ifgroup a route via that group. */
function suppressed(rule: RouteRule, found: RouteFact, dest: Destination): boolean {
  // The kernel weighs the prefix of the route it found (for a network destination, the destination's own).
  const prefix = found.dest === 'default' ? 0 : (destinationOf(found.dest, dest.family)?.prefix ?? dest.prefix);
  if (rule.suppressPrefixlength !== undefined && prefix <= rule.suppressPrefixlength) return true;
  // Devices sit in group 0 ("default") unless an administrator moved them, and the facts do not say: assume 0.
  return rule.suppressIfgroup === '0' || rule.suppressIfgroup === 'default' ? found.dev !== undefined : false;
}

/** `default via 198.18.0.1 dev eth0 metric 50`, `blackhole default` (the table is said separately). */
export function describeRoute(r: RouteFact): string {
  const parts: string[] = [];
  if (r.type && r.type !== 'unicast') parts.push(r.type);
  parts.push(r.dest);
  if (r.nexthops) for (const h of r.nexthops) parts.push(`nexthop${h.via ? ` via ${h.via}` : ''} dev ${h.dev}`);
  else {
    if (r.via) parts.push(`via ${r.via}`);
    if (r.dev) parts.push(`dev ${r.dev}`);
  }
  if (r.metric) parts.push(`metric ${r.metric}`);
  return parts.join(' ');
}

/** `rule 70: not from all fwmark 0xca6c lookup 100`, as ip(8) prints it. */
export function describeRule(r: RouteRule): string {
  const sel = { ...(r.selectors ?? {}) };
  const from = sel.from ?? 'all';
  delete sel.from;
  const parts = [`rule ${r.priority}:`, ...(r.not ? ['not'] : []), 'from', from];
  for (const [k, v] of Object.entries(sel)) parts.push(v === '' ? k : `${k} ${v}`);
  if (r.action === 'lookup') parts.push(`lookup ${r.table ?? '?'}`);
  else if (r.action === 'goto') parts.push(`goto ${r.target ?? '?'}`);
  else parts.push(r.action);
  if (r.suppressPrefixlength !== undefined) parts.push(`suppress_prefixlength ${r.suppressPrefixlength}`);
  if (r.suppressIfgroup !== undefined) parts.push(`suppress_ifgroup ${r.suppressIfgroup}`);
  return parts.join(' ');
}
