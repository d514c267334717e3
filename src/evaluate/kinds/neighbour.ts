// The `neighbour` kind, judged: whether the host resolved the link-layer address of its default gateway (the
// one of the route the kernel would use, see facts/readings/routes.ts) or of an address. FAILED and INCOMPLETE
// mean the neighbour did not answer ARP/NDP; REACHABLE, STALE, DELAY, PROBE and PERMANENT mean it is resolved.
// Read from /proc/net/arp, COMPLETE is one of the resolved states and UNRESOLVED one of the two that are not.
import type { FactsSnapshot, NeighbourFact, NeighboursFact, RouteFact } from '../../facts/model.js';
import { kernelRoute, ownAddress, routingOf } from '../../facts/readings/routes.js';
import { ipv6Off } from '../../facts/readings/ipv6.js';
import { canonical, isLoopback, parseAddress } from '../../lib/address.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';
import type { CheckOf } from '../../policy/model.js';
import { together } from '../reasons.js';

const RESOLVED = new Set(['REACHABLE', 'STALE', 'DELAY', 'PROBE', 'PERMANENT', 'NOARP', 'COMPLETE']);
const UNRESOLVED = new Set(['FAILED', 'INCOMPLETE', 'UNRESOLVED']);

/** Resolved, not resolved, or neither (NONE, a state this reader does not know). */
function resolution(e: NeighbourFact): boolean | undefined {
  if (e.state.some((s) => UNRESOLVED.has(s))) return false;
  if (e.state.some((s) => RESOLVED.has(s))) return true;
  return undefined;
}

/** As ip(8) prints it: `198.18.0.1 dev eth0 lladdr 02:00:00:00:00:01 REACHABLE`. */
function entryText(e: NeighbourFact): string {
  return [e.address, 'dev', e.dev, ...(e.lladdr ? ['lladdr', e.lladdr] : []), ...(e.router ? ['router'] : []), e.state.join(',') || 'no state'].join(' ');
}

/** One neighbour judged: its entries (one per link it was seen on; only the given link's when one is given). */
function judgeNeighbour(fact: NeighboursFact, address: string, dev: string | undefined, resolved: boolean, expected: string): Outcome {
  const want = canonical(address);
  const fam = want.includes(':') ? 6 : 4;
  if (fact.unreadable?.includes(fam)) {
    return errorOutcome(expected, {
      code: 'neighbours-unreadable',
      address: want,
      families: fact.unreadable,
      ...(fact.note !== undefined ? { note: fact.note } : {}),
    });
  }
  const entries = fact.entries.filter((e) => e.address === want && (dev === undefined || e.dev === dev));
  const on = dev !== undefined ? { device: dev } : {};
  if (entries.length === 0) {
    return { status: 'skip', expected, actual: 'no entry', reason: { code: 'no-neighbour', address: want, ...on } };
  }
  const outcomes = entries.map((e): Outcome => {
    const actual = entryText(e);
    const r = resolution(e);
    if (r === undefined) return { status: 'skip', expected, actual, reason: { code: 'no-neighbour', address: want, device: e.dev, state: e.state } };
    if (r === resolved) return { status: 'pass', expected, actual, reason: { code: 'matched', seen: actual } };
    return { status: 'fail', expected, actual, reason: { code: 'neighbour-state', address: want, device: e.dev, state: e.state, holds: r } };
  });
  return combine(outcomes, expected);
}

/** Several paths or entries as one outcome: every failure said; else a pass; else the first skip. */
function combine(outcomes: Outcome[], expected: string): Outcome {
  if (outcomes.length === 1) return outcomes[0]!;
  const actual = outcomes.map((o) => o.actual).join('; ');
  const failed = together(outcomes.filter((o) => o.status === 'fail').map((o) => o.reason));
  if (failed) return { status: 'fail', expected, actual, reason: failed };
  const passed = outcomes.find((o) => o.status === 'pass');
  if (passed) return { status: 'pass', expected, actual, reason: { code: 'matched', seen: actual } };
  return { ...outcomes[0]!, actual };
}

/**
 * The next hop of one path of a route, judged, or why it has none to resolve. Toward an address (`onLink`), an
 * on-link path's next hop is that address itself; the default route's is only ever a gateway.
 */
function judgePath(fact: NeighboursFact, dest: string, path: { via?: string; dev?: string }, resolved: boolean, expected: string, onLink?: string): Outcome {
  const dev = path.dev ?? '';
  const flags = fact.noNeighbours[dev];
  if (flags) return { status: 'skip', expected, actual: `dev ${dev}`, reason: { code: 'no-neighbours-link', device: dev, flags } };
  const hop = path.via ?? onLink;
  if (hop === undefined) return { status: 'skip', expected, actual: `${dest} dev ${dev}`, reason: { code: 'no-gateway', dest, device: dev } };
  return judgeNeighbour(fact, hop, dev, resolved, expected);
}

/**
 * The route the kernel would pick for `dest` (default, default6, or an address alone: the longest prefix that holds it), and its
 * next hops judged; `onLink` is the address an on-link path resolves.
 */
function judgeRoute(
  dest: string,
  asked: Array<4 | 6>,
  neighbours: NeighboursFact,
  facts: FactsSnapshot,
  resolved: boolean,
  expected: string,
  onLink?: string,
): Outcome {
  const fam = family(facts, 'routes', expected);
  if (!fam.ok) return fam.outcome;
  const routing = routingOf(fam.value);
  // One of the host's own addresses: the kernel delivers it through loopback, with no neighbour to resolve.
  if (onLink !== undefined && ownAddress(routing, onLink)) {
    return { status: 'skip', expected, actual: `local ${onLink} dev lo`, reason: { code: 'no-gateway', dest, device: 'lo' } };
  }
  const off = asked.includes(6) ? ipv6Off(facts) : undefined;
  const families = off ? asked.filter((f) => f !== 6) : asked;
  if (families.length === 0) return { status: 'skip', expected, actual: 'IPv6 off', reason: { code: 'ipv6-off', why: off! } };
  const unreadable = families.filter((f) => routing.unreadable?.includes(f));
  const route: RouteFact | undefined = families
    .filter((f) => !unreadable.includes(f))
    .map((f) => kernelRoute(routing, f, dest === 'default6' ? 'default' : dest).route)
    .find((r) => r !== undefined);
  if (!route) {
    if (unreadable.length) {
      return errorOutcome(expected, {
        code: 'routes-unreadable',
        dest,
        families: unreadable,
        ...(routing.note !== undefined ? { note: routing.note } : {}),
      });
    }
    return { status: 'skip', expected, actual: onLink === undefined ? `no ${dest} route` : `no route to ${dest}`, reason: { code: 'no-gateway', dest } };
  }
  const paths = route.nexthops ?? [{ via: route.via, dev: route.dev }];
  return combine(
    paths.map((p) => judgePath(neighbours, dest, p, resolved, expected, onLink)),
    expected,
  );
}

export function evaluate(check: CheckOf<'neighbour'>, facts: FactsSnapshot): Outcome {
  const resolved = check.expect.resolved;
  const expected = resolved ? 'resolved (not FAILED or INCOMPLETE)' : 'not resolved (FAILED or INCOMPLETE)';
  const fam = family(facts, 'neighbours', expected);
  if (!fam.ok) return fam.outcome;
  const t = check.selector.target;
  if ('gateway' in t) return judgeRoute(t.gateway, t.gateway === 'default' ? [4, 6] : [6], fam.value, facts, resolved, expected);
  if ('to' in t) {
    const a = parseAddress(t.to);
    if (!a) return errorOutcome(expected, { code: 'bad-destination', dest: t.to });
    return judgeRoute(a.text, [a.family], fam.value, facts, resolved, expected, a.text);
  }
  if (isLoopback(t.address)) return { status: 'skip', expected, actual: `${t.address} dev lo`, reason: { code: 'no-gateway', dest: t.address, device: 'lo' } };
  const off = t.address.includes(':') ? ipv6Off(facts) : undefined;
  if (off) return { status: 'skip', expected, actual: 'IPv6 off', reason: { code: 'ipv6-off', why: off } };
  return judgeNeighbour(fam.value, t.address, undefined, resolved, expected);
}
