// Lower checks the wire implies: a TLS or HTTP check stands on TCP to its port and on DNS for its host, a TCP
// check on DNS. Where the policy declares no such lower check, one is made here, so that a failure low down is
// found and named once (as the cause of the checks above it) instead of reappearing as each upper symptom.
// Implied checks are reported, but not scored: the upper checks already carry the weight.
//
// Below TCP the wire stands on the host itself: the route the kernel picks toward the address and the neighbour
// (ARP/NDP) entry of its next hop. Those are facts of the audited host, so they are implied only where the
// probes leave from that host (a local audit, or a fleet's `local` host), never for a fleet's hosts over SSH,
// whose probes leave from the auditor.
import type { Check, CheckOf, Severity } from './model.js';
import { SEVERITIES } from './model.js';
import { parseAddress } from '../lib/address.js';
import { hostKey, refusedNetwork, urlHost, urlPort } from '../lib/targets.js';
import { isLoopback } from '../lib/address.js';

interface Need {
  kind: 'tcp' | 'dns' | 'route' | 'neighbour' | 'icmp';
  host: string;
  port?: number;
}

/**
 * What lies under the path to an address on the host: the route toward it and its next hop's neighbour entry.
 * Loopback is delivered without either (and its routes are in the local table, which the routes family leaves
 * out); a name's address is known only once it resolves.
 */
function pathNeeds(host: string): Need[] {
  const a = parseAddress(host);
  if (!a || isLoopback(a.text) || refusedNetwork(a.text) !== undefined) return [];
  return [
    { kind: 'neighbour', host: a.text },
    { kind: 'route', host: a.text },
  ];
}

/**
 * A ping of the probe's host, sent from the audited host: only to an address other than loopback (which says
 * nothing of a network), and never to one the probes refuse
 * (link-local, cloud metadata), since the ping goes out before any refusal is applied. A name would be resolved
 * by ping itself, to an address nothing has judged yet.
 */
function pingNeeds(host: string): Need[] {
  const a = parseAddress(host);
  return a && !isLoopback(a.text) && refusedNetwork(a.text) === undefined ? [{ kind: 'icmp', host }] : [];
}

/** What each probe check stands on, lowest first. */
function needsOf(c: Check, lowerLayers: boolean): Need[] {
  const s = c.selector;
  const named = (host: string): Need[] => (parseAddress(host) ? [] : [{ kind: 'dns', host }]);
  switch (s.kind) {
    case 'tcp':
      return [...(lowerLayers ? [...pathNeeds(s.spec.host), ...pingNeeds(s.spec.host)] : []), ...named(s.spec.host)];
    case 'tls': {
      const connectTo = s.spec.ip ?? s.spec.host;
      return [...(s.spec.ip !== undefined ? [] : named(s.spec.host)), { kind: 'tcp', host: connectTo, port: s.spec.port }];
    }
    case 'http': {
      if (!URL.canParse(s.spec.url)) return [];
      const url = new URL(s.spec.url);
      const host = urlHost(url);
      return [...named(host), { kind: 'tcp', host, port: urlPort(url) }];
    }
    default:
      return [];
  }
}

const keyOf = (n: Need): string => (n.kind === 'tcp' ? `tcp ${hostKey(n.host)}:${n.port}` : `${n.kind} ${hostKey(n.host)}`);

/**
 * The lower checks the policy declares itself: any DNS check of a name's addresses, any TCP check of host:port,
 * a route to one address, a neighbour entry of (or toward) an address.
 */
function declared(checks: readonly Check[]): Set<string> {
  const out = new Set<string>();
  for (const c of checks) {
    const s = c.selector;
    if (s.kind === 'tcp') out.add(keyOf({ kind: 'tcp', host: s.spec.host, port: s.spec.port }));
    if (s.kind === 'route') {
      // An address alone: the route the kernel picks for it.
      const a = parseAddress(s.dest);
      if (a) out.add(keyOf({ kind: 'route', host: a.text }));
    }
    if (s.kind === 'icmp') out.add(keyOf({ kind: 'icmp', host: s.spec.host }));
    if (s.kind === 'neighbour' && !('gateway' in s.target)) {
      const a = parseAddress('to' in s.target ? s.target.to : s.target.address);
      if (a) out.add(keyOf({ kind: 'neighbour', host: a.text }));
    }
    if (s.kind === 'dns' && s.spec.server === undefined && ['A', 'AAAA', 'ADDRESS'].includes(s.spec.type ?? 'A'))
      out.add(keyOf({ kind: 'dns', host: s.spec.name }));
  }
  return out;
}

const higher = (a: Severity, b: Severity): Severity => (SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b);

/**
 * An implied ping is short: it only has to say whether the host answers at all, beside probes that take their own
 * time, and its replies (or their absence after the wait) come within about a second.
 */
const IMPLIED_PING = { count: 3, size: 56, intervalMs: 200 } as const;

/** What an implied check takes from the checks it is made for. */
type Common = Omit<CheckOf<'tcp'>, 'id' | 'title' | 'selector' | 'expect' | 'area'>;

/** The implied check of one need: its id, title, selector and expectation. */
function impliedOf(need: Need, common: Common): Check {
  const host = hostKey(need.host);
  switch (need.kind) {
    case 'tcp':
      return {
        ...common,
        id: `implied.tcp.${host}:${need.port}`,
        title: `TCP connect to ${host}:${need.port}`,
        selector: { kind: 'tcp', spec: { host: need.host, port: need.port! } },
        expect: { connect: 'open' },
        area: 'probes',
      };
    case 'dns':
      return {
        ...common,
        id: `implied.dns.${host}`,
        title: `${host} resolves`,
        selector: { kind: 'dns', spec: { name: need.host, type: 'ADDRESS' } },
        expect: { resolves: true },
        area: 'probes',
      };
    case 'route':
      return {
        ...common,
        id: `implied.route.${need.host}`,
        title: `A route to ${need.host}`,
        selector: { kind: 'route', dest: need.host },
        expect: { exists: true },
        area: 'network',
      };
    case 'icmp':
      return {
        ...common,
        id: `implied.icmp.${host}`,
        title: `${host} answers ping`,
        selector: { kind: 'icmp', spec: { host: need.host, ...IMPLIED_PING } },
        expect: { reachable: true },
        area: 'network',
      };
    case 'neighbour':
      return {
        ...common,
        id: `implied.neighbour.${need.host}`,
        title: `The next hop toward ${need.host} resolves (ARP/NDP)`,
        selector: { kind: 'neighbour', target: { to: need.host } },
        expect: { resolved: true },
        area: 'network',
      };
  }
}

/**
 * The checks with every implied lower check appended (after the policy's own, in the order first needed);
 * `lowerLayers` adds the host's own layers under TCP (see above).
 */
export function withImpliedChecks(checks: Check[], lowerLayers = true): Check[] {
  const have = declared(checks);
  const made = new Map<string, Check>();
  const queue = [...checks];
  while (queue.length > 0) {
    const upper = queue.shift()!;
    for (const need of needsOf(upper, lowerLayers)) {
      const key = keyOf(need);
      if (have.has(key)) continue;
      const seen = made.get(key);
      if (seen) {
        seen.impliedBy!.push(upper.id);
        seen.severity = higher(seen.severity, upper.severity);
        if (upper.timeout !== undefined) seen.timeout = Math.max(seen.timeout ?? 0, upper.timeout);
        continue;
      }
      const check = impliedOf(need, {
        severity: upper.severity,
        tags: ['implied'],
        refs: [],
        source: upper.source,
        ...(upper.anchor !== undefined ? { anchor: upper.anchor } : {}),
        impliedBy: [upper.id],
        ...(upper.timeout !== undefined ? { timeout: upper.timeout } : {}),
      });
      made.set(key, check);
      // An implied TCP check stands on DNS and the path in turn.
      queue.push(check);
    }
  }
  return made.size === 0 ? checks : [...checks, ...made.values()];
}
