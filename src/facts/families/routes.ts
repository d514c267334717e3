// Route facts: every routing table and the policy rules that choose among them, from `ip -j` (argument arrays
// through the transport). Without a usable `ip`, /proc/net/route (IPv4, main table only) and /proc/net/ipv6_route
// (IPv6, every table without saying which) stand in, and the fact says that the rules are unknown.
// Only routes that decide where a packet goes are kept: unicast, and the blackhole/unreachable/prohibit/throw
// routes that refuse or pass it on; local, broadcast, multicast and anycast entries answer other questions.
import type { RawView } from '../../transport/raw.js';
import { isFailure } from '../../transport/types.js';
import type { FamilyModule } from '../family.js';
import { readFailure } from '../family.js';
import type { RouteFact, RouteNexthop, RouteRule, RouteRuleAction, RouteType, RoutesFact } from '../model.js';
import { fromBytes } from '../../lib/address.js';
import { isObject } from '../../lib/is-object.js';

// include/uapi/linux/route.h and include/uapi/linux/ipv6_route.h
const RTF_UP = 0x0001;
const RTF_REJECT = 0x0200;
const RTF_ANYCAST = 0x00100000;
const RTF_LOCAL = 0x80000000;

function popcount32(n: number): number {
  let c = 0;
  for (let v = n >>> 0; v; v >>>= 1) c += v & 1;
  return c;
}

/** /proc/net/route prints addresses as the raw 32-bit word: little-endian on x86 and arm, so the first octet is the low byte. */
function hexToIpv4(hex: string): string {
  const n = Number.parseInt(hex, 16) >>> 0;
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join('.');
}

/** IPv4 routes of the main table: the only one /proc/net/route shows. */
export function parseProcRoute(text: string): RouteFact[] {
  const routes: RouteFact[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [iface, destHex, gwHex, flagsHex, , , metric, maskHex] = f as [string, string, string, string, string, string, string, string];
    const flags = Number.parseInt(flagsHex, 16);
    if (!(flags & RTF_UP)) continue;
    const dest = Number.parseInt(destHex, 16) >>> 0;
    const mask = Number.parseInt(maskHex, 16) >>> 0;
    const r: RouteFact = {
      family: 4,
      dest: dest === 0 && mask === 0 ? 'default' : `${hexToIpv4(destHex)}/${popcount32(mask)}`,
      metric: Number(metric),
      table: 'main',
    };
    // The kernel marks unreachable and prohibit routes RTF_REJECT and shows no device ("*") for them and for
    // blackholes; which of the two rejecting kinds a route is, this file does not say.
    if (flags & RTF_REJECT) r.type = 'unreachable';
    else if (iface === '*') r.type = 'blackhole';
    else r.dev = iface;
    const gw = Number.parseInt(gwHex, 16) >>> 0;
    if (gw !== 0 && r.dev) r.via = hexToIpv4(gwHex);
    routes.push(r);
  }
  return routes;
}

/** 32 hex digits in network order -> RFC 5952 text, the same form the sockets collector gives. */
export function hexToIpv6(hex: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 2) bytes.push(Number.parseInt(hex.slice(i, i + 2), 16));
  return fromBytes(bytes);
}

/**
 * IPv6 unicast routes of every table (the file does not say which, so all count as main). Rejecting routes are
 * left out: each table's root holds a null reject entry, and a policy table's blackhole would otherwise read as
 * a main-table one.
 */
export function parseIpv6Route(text: string): RouteFact[] {
  const routes: RouteFact[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const [destHex, plenHex, , , nextHopHex, metricHex, , , flagsHex, dev] = f as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (destHex.length !== 32 || nextHopHex.length !== 32) continue;
    const flags = Number.parseInt(flagsHex, 16) >>> 0;
    if (!(flags & RTF_UP) || flags & RTF_REJECT || flags & RTF_LOCAL || flags & RTF_ANYCAST) continue;
    // ff00::/8 sits in the local table on every interface; it routes no unicast traffic.
    if (destHex.startsWith('ff')) continue;
    const plen = Number.parseInt(plenHex, 16);
    const isDefault = plen === 0 && /^0+$/.test(destHex);
    const r: RouteFact = {
      family: 6,
      dest: isDefault ? 'default' : `${hexToIpv6(destHex)}/${plen}`,
      dev,
      metric: Number.parseInt(metricHex, 16) >>> 0,
      table: 'main',
    };
    if (!/^0+$/.test(nextHopHex)) r.via = hexToIpv6(nextHopHex);
    routes.push(r);
  }
  return routes;
}

// ---------------------------------------------------------------------------------------------------------
// ip -j rule show

/** Keys of an `ip -j rule` entry that say what the rule does, not which packets it selects. */
const RULE_NON_SELECTORS = new Set([
  'priority',
  'not',
  'table',
  'suppress_prefixlen',
  'suppress_ifgroup',
  'goto',
  'nop',
  'action',
  'protocol',
  'iif_detached',
  'oif_detached',
  'realms',
  'flowid',
  'unresolved',
  'flags',
]);

const RULE_ACTIONS = new Set<RouteRuleAction>(['blackhole', 'unreachable', 'prohibit']);

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** "from 10.0.0.0/8": the address, with its length when it is shorter than the whole address. */
function prefixText(addr: unknown, len: unknown): string {
  return len === undefined ? text(addr) : `${text(addr)}/${text(len)}`;
}

/** A port or uid range as ip(8) writes it: `80` or `1000-2000`. */
function rangeText(e: Record<string, unknown>, name: string): string | undefined {
  if (e[name] !== undefined) return text(e[name]);
  if (e[`${name}_start`] === undefined) return undefined;
  return `${text(e[`${name}_start`])}-${text(e[`${name}_end`])}`;
}

/** The selectors of one rule, as ip(8) writes them; unknown keys are kept, so that they are never ignored. */
function ruleSelectors(e: Record<string, unknown>): Record<string, string> {
  const sel: Record<string, string> = {};
  if (e.src !== undefined && (e.src !== 'all' || e.srclen !== undefined)) sel.from = prefixText(e.src, e.srclen);
  if (e.dst !== undefined) sel.to = prefixText(e.dst, e.dstlen);
  if (e.fwmark !== undefined) sel.fwmark = e.fwmask !== undefined ? `${text(e.fwmark)}/${text(e.fwmask)}` : text(e.fwmark);
  const uid = e.uid_start !== undefined ? `${text(e.uid_start)}-${text(e.uid_end)}` : undefined;
  if (uid !== undefined) sel.uidrange = uid;
  for (const port of ['sport', 'dport']) {
    const r = rangeText(e, port);
    if (r !== undefined) sel[port] = r;
  }
  const handled = new Set([
    'src',
    'srclen',
    'dst',
    'dstlen',
    'fwmark',
    'fwmask',
    'uid_start',
    'uid_end',
    'sport',
    'sport_start',
    'sport_end',
    'dport',
    'dport_start',
    'dport_end',
  ]);
  for (const [k, v] of Object.entries(e)) {
    if (!handled.has(k) && !RULE_NON_SELECTORS.has(k)) sel[k] = v === null ? '' : text(v);
  }
  return sel;
}

function ruleAction(e: Record<string, unknown>): Pick<RouteRule, 'action' | 'table' | 'target'> {
  if (e.goto !== undefined) return typeof e.goto === 'number' ? { action: 'goto', target: e.goto } : { action: 'goto' };
  if (Object.hasOwn(e, 'nop')) return { action: 'nop' };
  if (typeof e.action === 'string' && RULE_ACTIONS.has(e.action as RouteRuleAction)) return { action: e.action as RouteRuleAction };
  return e.table !== undefined ? { action: 'lookup', table: text(e.table) } : { action: 'lookup' };
}

/** `ip -j -4 rule show` / `ip -j -6 rule show`. */
export function parseIpRules(json: string, family: 4 | 6): RouteRule[] {
  const data: unknown = JSON.parse(json);
  if (!Array.isArray(data)) throw new Error(`ip -j -${family} rule show: expected a JSON array`);
  const rules: RouteRule[] = [];
  for (const e of data) {
    if (!isObject(e) || typeof e.priority !== 'number') continue;
    const rule: RouteRule = { family, priority: e.priority, ...ruleAction(e) };
    if (typeof e.suppress_prefixlen === 'number') rule.suppressPrefixlength = e.suppress_prefixlen;
    if (e.suppress_ifgroup !== undefined) rule.suppressIfgroup = text(e.suppress_ifgroup);
    if (Object.hasOwn(e, 'not')) rule.not = true;
    const sel = ruleSelectors(e);
    if (Object.keys(sel).length) rule.selectors = sel;
    rules.push(rule);
  }
  return rules;
}

// ---------------------------------------------------------------------------------------------------------
// ip -j route show table all

const KEPT_TYPES = new Set<RouteType>(['unicast', 'blackhole', 'unreachable', 'prohibit', 'throw']);

function isDead(e: Record<string, unknown>): boolean {
  return Array.isArray(e.flags) && e.flags.includes('dead');
}

/** A gateway: `gateway` for the route's own family, `via: {family, host}` for the other one (IPv4 via IPv6). */
function gatewayOf(e: Record<string, unknown>): string | undefined {
  if (typeof e.gateway === 'string') return e.gateway;
  if (isObject(e.via) && typeof e.via.host === 'string') return e.via.host;
  return undefined;
}

function nexthopsOf(list: unknown[]): RouteNexthop[] {
  const hops: RouteNexthop[] = [];
  for (const h of list) {
    if (!isObject(h) || typeof h.dev !== 'string' || isDead(h)) continue;
    const hop: RouteNexthop = { dev: h.dev };
    const via = gatewayOf(h);
    if (via !== undefined) hop.via = via;
    if (typeof h.weight === 'number') hop.weight = h.weight;
    hops.push(hop);
  }
  return hops;
}

function ipRoute(e: Record<string, unknown>, family: 4 | 6): RouteFact | undefined {
  const type = (typeof e.type === 'string' ? e.type : 'unicast') as RouteType;
  if (!KEPT_TYPES.has(type) || typeof e.dst !== 'string' || isDead(e)) return undefined;
  const r: RouteFact = { family, dest: e.dst, metric: typeof e.metric === 'number' ? e.metric : 0, table: typeof e.table === 'string' ? e.table : 'main' };
  if (type !== 'unicast') {
    // IPv6 shows these on lo; they send nothing anywhere.
    r.type = type;
  } else if (Array.isArray(e.nexthops)) {
    const hops = nexthopsOf(e.nexthops);
    if (hops.length === 0) return undefined;
    Object.assign(r, { dev: hops[0]!.dev }, hops[0]!.via !== undefined ? { via: hops[0]!.via } : {});
    if (hops.length > 1) r.nexthops = hops;
  } else {
    if (typeof e.dev !== 'string') return undefined;
    r.dev = e.dev;
    const via = gatewayOf(e);
    if (via !== undefined) r.via = via;
  }
  if (typeof e.tos === 'string' && e.tos !== '0x00' && e.tos !== 'default') r.tos = e.tos;
  return r;
}

/** `ip -j -4 route show table all` / `ip -j -6 route show table all`. */
export function parseIpRoutes(json: string, family: 4 | 6): RouteFact[] {
  const data: unknown = JSON.parse(json);
  if (!Array.isArray(data)) throw new Error(`ip -j -${family} route show table all: expected a JSON array`);
  const routes: RouteFact[] = [];
  for (const e of data) {
    const r = isObject(e) ? ipRoute(e, family) : undefined;
    if (r) routes.push(r);
  }
  return routes;
}

/** The destinations of the local table's `local` routes: the host's own addresses (and loopback's /8). */
export function parseLocalDestinations(json: string): string[] {
  const data: unknown = JSON.parse(json);
  if (!Array.isArray(data)) return [];
  return data.flatMap((e) => (isObject(e) && e.type === 'local' && typeof e.dst === 'string' ? [e.dst] : []));
}

// ---------------------------------------------------------------------------------------------------------
// Collection

const RUNS = [4, 6].flatMap((family) => [
  ['ip', '-j', `-${family}`, 'rule', 'show'],
  ['ip', '-j', `-${family}`, 'route', 'show', 'table', 'all'],
]);
const PROC_ROUTE = '/proc/net/route';
const PROC_ROUTE6 = '/proc/net/ipv6_route';

type Ip = { ok: true; stdout: string } | { ok: false; why: string; missing: boolean };

function ip(raw: RawView, argv: string[]): Ip {
  const r = raw.run(argv);
  const shown = argv.join(' ');
  if (isFailure(r)) {
    if (r.error === 'ENOENT') return { ok: false, why: '`ip` (iproute2) was not found', missing: true };
    throw new Error(r.message.startsWith('ip') ? r.message : `${shown}: ${r.message}`);
  }
  if (r.exitCode === 0) return { ok: true, stdout: r.stdout };
  return { ok: false, why: `${shown} exited ${r.exitCode}: ${r.stderr.trim() || r.stdout.trim()}`, missing: false };
}

interface FamilyRead {
  routes: RouteFact[];
  rules: RouteRule[];
  local: string[];
}

function readFamily(raw: RawView, family: 4 | 6): FamilyRead | { why: string; missing: boolean } {
  const f = `-${family}`;
  const rules = ip(raw, ['ip', '-j', f, 'rule', 'show']);
  const routes = ip(raw, ['ip', '-j', f, 'route', 'show', 'table', 'all']);
  if (!rules.ok) return rules;
  if (!routes.ok) return routes;
  try {
    return { rules: parseIpRules(rules.stdout, family), routes: parseIpRoutes(routes.stdout, family), local: parseLocalDestinations(routes.stdout) };
  } catch (err) {
    return { why: `ip -j ${f}: ${(err as Error).message}`, missing: false };
  }
}

function fromProc(raw: RawView, why: string): RoutesFact {
  const v4text = raw.read(PROC_ROUTE);
  if (typeof v4text !== 'string') throw new Error(readFailure(PROC_ROUTE, v4text));
  const v4 = parseProcRoute(v4text);
  const v6text = raw.read(PROC_ROUTE6);
  // A kernel without IPv6 has no ipv6_route and simply contributes none.
  if (typeof v6text !== 'string' && v6text.error !== 'ENOENT') throw new Error(readFailure(PROC_ROUTE6, v6text));
  const v6 = typeof v6text === 'string' ? parseIpv6Route(v6text) : [];
  return {
    source: 'proc',
    routes: [...v4, ...v6],
    note: `policy rules are unknown (${why}): routes read from /proc/net/route (main table only) and /proc/net/ipv6_route (every table, unnamed), judged as if only the kernel's default rules existed`,
  };
}

/** Whether this host answers IPv6 routing requests at all: without an IPv6 stack `ip -6` fails. */
function hasIpv6(raw: RawView): boolean {
  const v = raw.read(PROC_ROUTE6);
  if (typeof v === 'string') return true;
  if (v.error === 'ENOENT') return false;
  throw new Error(readFailure(PROC_ROUTE6, v));
}

/** Both families' tables and rules from `ip -j`, and /proc's routes for when `ip` cannot answer. */
export const routesFamily: FamilyModule<{ timeoutMs: number }, RoutesFact> = {
  name: 'routes',
  needs: ({ timeoutMs }) => [
    ...RUNS.map((argv) => ({ op: 'run' as const, argv, timeoutMs })),
    { op: 'read', path: PROC_ROUTE },
    { op: 'read', path: PROC_ROUTE6 },
  ],
  parse: (_, raw) => {
    const v4 = readFamily(raw, 4);
    const v6 = readFamily(raw, 6);
    if (!('routes' in v4)) return fromProc(raw, v4.why);
    const fact: RoutesFact = { source: 'ip', routes: [...v4.routes], rules: [...v4.rules], local: [...v4.local] };
    if ('routes' in v6) {
      fact.routes.push(...v6.routes);
      fact.rules!.push(...v6.rules);
      fact.local!.push(...v6.local);
    } else if (hasIpv6(raw)) {
      // IPv4 read fine: keep it, and say that IPv6 could not be read rather than report it as routeless.
      fact.unreadable = [6];
      fact.note = `IPv6 routes and rules are unknown: ${v6.why}`;
    }
    return fact;
  },
};
