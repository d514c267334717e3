import type { FactsSnapshot, RouteFact, RoutesFact } from '../../facts/model.js';
import type { RouteChoice } from '../../facts/readings/routes.js';
import { describeRoute, describeRule, destinationOf, kernelRoute, routingOf } from '../../facts/readings/routes.js';
import { describe, match, matchAddress } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';
import { ipv6Off } from '../../facts/readings/ipv6.js';
import type { CheckOf, ExpectOf } from '../../policy/model.js';
import type { Reason, ReasonOf } from '../reasons.js';
import { together } from '../reasons.js';

type RouteExpect = ExpectOf<'route'>;

function routeExpected(e: RouteExpect): string {
  const parts: string[] = [];
  if (e.exists !== undefined) parts.push(e.exists ? 'exists' : 'absent');
  if (e.via !== undefined) parts.push(`via ${describe(e.via)}`);
  if (e.dev !== undefined) parts.push(`dev ${describe(e.dev)}`);
  return parts.join(', ') || 'exists';
}

/** The families a route selector asks about: `default` is IPv4 or IPv6, `default6` IPv6, a CIDR its own. */
function familiesOf(dest: string): Array<4 | 6> | undefined {
  if (dest === 'default') return [4, 6];
  if (dest === 'default6') return [6];
  const d = destinationOf(dest);
  return d ? [d.family] : undefined;
}

/**
 * def1-style routes in words: `0.0.0.0/1 and 128.0.0.0/1 via 198.18.80.9 dev tun0` when they differ only in
 * their destination, each route in full otherwise.
 */
function coveringText(rs: RouteFact[]): string {
  const rest = (r: RouteFact): string => describeRoute({ ...r, type: undefined, dest: '' }).trim();
  const same = rs.every((r) => rest(r) === rest(rs[0]!) && (r.type ?? 'unicast') === (rs[0]!.type ?? 'unicast'));
  if (!same) return rs.map(describeRoute).join(' and ');
  const type = rs[0]!.type && rs[0]!.type !== 'unicast' ? `${rs[0]!.type} ` : '';
  return `${type}${rs.map((r) => r.dest).join(' and ')}${rest(rs[0]!) ? ` ${rest(rs[0]!)}` : ''}`;
}

/** The chosen route, or the refusal, with the table and the rule that led there. */
function choiceText(c: RouteChoice): string {
  const r = c.route ?? c.refusingRoute;
  const how = [r ? `table ${r.table ?? 'main'}` : '', c.rule ? describeRule(c.rule) : ''].filter(Boolean).join(', ');
  if (c.covering) return `${coveringText(c.covering)} ${c.route ? 'take' : 'refuse'} all traffic${c.bypassed ? ' before the default' : ''} (${how})`;
  if (r) return `${describeRoute(r)} (${how})`;
  return c.rule ? `no IPv${c.family} route (${how})` : `no IPv${c.family} route`;
}

/** What the reading could not see, said beside: assumed rules, rules that hold for some packets only. */
function caveats(fact: RoutesFact, choices: RouteChoice[]): Reason[] {
  const partial = [...new Set(choices.flatMap((c) => c.partial.map((r) => r.priority)))];
  return fact.note || partial.length ? [{ code: 'route-caveats', caveats: fact.note ? [fact.note] : [], passedOver: partial }] : [];
}

/** Gateway and device of every path of the chosen route: the kernel may send a flow down any of them. */
function pathFailures(r: RouteFact, e: RouteExpect): ReasonOf<'route-path'>[] {
  // A route that refuses what it covers has no gateway or device to satisfy (def1 splits may hold one).
  if (isRefusal(r)) return e.via !== undefined || e.dev !== undefined ? [{ code: 'route-path', refusal: r.type! }] : [];
  const paths = r.nexthops ?? [{ via: r.via, dev: r.dev ?? '' }];
  const whys: ReasonOf<'route-path'>[] = [];
  for (const p of paths) {
    if (e.via !== undefined && !matchAddress(p.via, e.via).ok) whys.push({ code: 'route-path', gateway: p.via ?? '' });
    if (e.dev !== undefined && !match(p.dev, e.dev).ok) whys.push({ code: 'route-path', device: p.dev });
  }
  return whys;
}

/**
 * The failures of every route traffic leaving the host takes: the one chosen, or each of a def1 split, where
 * every one must hold; the same failure on several of them is said once, naming them
 * (`device is eth0 (0.0.0.0/1 and 128.0.0.0/1)`).
 */
function choiceFailures(c: RouteChoice, e: RouteExpect): Reason[] {
  if (!c.covering) return c.route ? pathFailures(c.route, e) : [];
  // The same failure on several routes, said once: findings are equal when their data is.
  const on = new Map<string, { why: ReasonOf<'route-path'>; dests: string[] }>();
  for (const r of c.covering) {
    for (const why of pathFailures(r, e)) {
      const key = JSON.stringify(why);
      const held = on.get(key);
      if (held) {
        if (!held.dests.includes(r.dest)) held.dests.push(r.dest);
      } else on.set(key, { why, dests: [r.dest] });
    }
  }
  return [...on.values()].map(({ why, dests }) => ({ ...why, dests }));
}

function isRefusal(r: RouteFact): boolean {
  return r.type === 'blackhole' || r.type === 'unreachable' || r.type === 'prohibit';
}

/**
 * A route check judges the route the kernel would use (see facts/readings/routes.ts): the rules in priority
 * order, each table's lowest-metric route for the destination, blackholes and suppression as the kernel has them,
 * and for `default` the more specific routes that take all traffic before a table's default (def1), every one
 * of which must meet `via` and `dev`.
 */
export function evaluateRoute(check: CheckOf<'route'>, dest: string, facts: FactsSnapshot): Outcome {
  const e: RouteExpect = check.expect;
  const expected = routeExpected(e);
  const fam = family(facts, 'routes', expected);
  if (!fam.ok) return fam.outcome;
  const fact = routingOf(fam.value);
  const asked = familiesOf(dest);
  if (!asked) return errorOutcome(expected, { code: 'bad-destination', dest });
  const off = ipv6Off(facts);
  const families = off ? asked.filter((f) => f !== 6) : asked;
  if (families.length === 0) return { status: 'skip', expected, actual: 'IPv6 off', reason: { code: 'ipv6-off', why: off! } };
  const unreadable = families.filter((f) => fact.unreadable?.includes(f));
  const choices = families.filter((f) => !unreadable.includes(f)).map((f) => kernelRoute(fact, f, dest === 'default6' ? 'default' : dest));
  const chosen = choices.find((c) => c.route);
  const caveat = caveats(fact, choices);
  const notes = caveat.length ? { notes: caveat } : {};
  const mustExist = e.exists ?? true;
  if (!chosen) {
    // A family that could not be read might hold the route: that is not "no route".
    if (unreadable.length) {
      return errorOutcome(expected, { code: 'routes-unreadable', dest, families: unreadable, ...(fact.note !== undefined ? { note: fact.note } : {}) });
    }
    // Say which route or rule refused, if any did; "no route" alone otherwise.
    const refused = choices.filter((c) => c.rule);
    const actual = refused.length ? choices.map(choiceText).join('; ') : `no ${dest} route`;
    const refusals = refused.length ? { refusals: refused.map((c) => c.why ?? '') } : {};
    return { status: mustExist ? 'fail' : 'pass', expected, actual, reason: { code: 'no-route', dest, ...refusals, ...notes } };
  }
  const actual = choiceText(chosen);
  if (!mustExist) return { status: 'fail', expected, actual, reason: { code: 'route-exists', dest, seen: actual, ...notes } };
  const failed = together(choiceFailures(chosen, e));
  return failed
    ? { status: 'fail', expected, actual, reason: { ...failed, ...notes } }
    : { status: 'pass', expected, actual, reason: { code: 'matched', seen: actual, ...notes } };
}

export function evaluate(c: CheckOf<'route'>, facts: FactsSnapshot): Outcome {
  return evaluateRoute(c, c.selector.dest, facts);
}
