// Root causes, bottom-up: when a lower-layer check fails, the failing checks standing on it name it as
// their cause, so a report leads with one root cause instead of a list of symptoms.
import type { Check } from '../policy/model.js';
import type { Result } from './model.js';
import { notCollected } from './reasons.js';
import { hostKey } from '../plan/plan.js';
import { urlHost, urlPort } from '../lib/targets.js';
import { parseAddress } from '../lib/address.js';
import type { Reason } from './reasons.js';

/**
 * Only links that hold whatever the reason for the lower failure: a route through eth0 fails when eth0 fails;
 * "the limits of the process on :443" cannot be read when nothing listens on :443 (but a low nofile has
 * nothing to do with the bind address). Each failing lower check is indexed once by what can stand on it, so
 * this stays linear in the number of checks. A route stands on the interface it is expected to leave by: that
 * interface failing (set down, no carrier) is why the kernel chose another route or none. The interface the
 * kernel did choose failing some other check (its MTU, say) explains nothing about the route.
 *
 * Probes stand on each other as the wire does: an HTTP or TLS check on the DNS check of its host (an A, AAAA
 * or ADDRESS query of the system resolver) and on the TCP check of its host (or `ip`) and port; a TCP check on
 * the DNS check of its host. The lowest failing layer is named, and a lower probe that could not be read (a
 * DNS server that never answered) counts as failing too, since the upper probe met the same silence. An upper
 * probe that could not be judged for want of the lower layer (no address to connect to) fails with that
 * cause: what a client meets there is a failure, and the cause says which.
 *
 * Under a TCP check to an address lie the host's own layers: the neighbour entry of the next hop toward it and
 * the route the kernel picks. A lower layer is a cause only when that layer really failed (no route; a next hop
 * FAILED or INCOMPLETE), not when it merely differs from what a policy asked, and only below an upper check that
 * failed in a way the layer explains: a refused connection got its answer over the path, so nothing under it is
 * the cause. Causes are followed down through failing checks only, so a passing layer between two failing ones
 * (TCP connects, TLS fails) stops the chain there.
 */
export function attributeCauses(checks: Check[], results: Result[]): Result[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  // The first broken check (in policy order) under each key a check above can stand on.
  const brokenAt = new Map<string, string>();
  const through = reachedHosts(checks, byId);
  filteredPings(checks, byId, through);
  for (const c of checks) {
    const r = byId.get(c.id);
    if (!r || !broken(c, r, through)) continue;
    const key = lowerKey(c);
    if (key !== undefined && !brokenAt.has(key)) brokenAt.set(key, c.id);
  }
  if (brokenAt.size === 0) return results;
  const checkOf = new Map(checks.map((c) => [c.id, c]));
  // The root of the failing chain under each check: the lowest broken layer reached through broken ones.
  const roots = new Map<string, string | undefined>();
  const rootUnder = (c: Check, r: Result, seen: Set<string>): string | undefined => {
    if (roots.has(c.id)) return roots.get(c.id);
    seen.add(c.id);
    let root: string | undefined;
    for (const key of lowerKeys(c, r)) {
      const id = brokenAt.get(key);
      if (id === undefined || id === c.id || seen.has(id)) continue;
      const lower = checkOf.get(id)!;
      root = rootUnder(lower, byId.get(id)!, seen) ?? id;
      break;
    }
    roots.set(c.id, root);
    return root;
  };
  for (const upper of checks) {
    const r = byId.get(upper.id);
    // A probe refused before anything was sent (a link-local or metadata target) met no layer at all.
    if (!r || (r.status !== 'fail' && r.status !== 'error') || r.reason.code === 'not-in-snapshot' || r.reason.code === 'target-refused') continue;
    const cause = rootUnder(upper, r, new Set());
    if (cause === undefined) continue;
    r.cause = cause;
    const u = upper.selector;
    // Only a lower layer that failed (a verdict) makes the upper one a failure; one that was not measured (the
    // deadline came first) leaves it an error, with the cause still named.
    if (r.status === 'error' && byId.get(cause)?.status === 'fail' && (u.kind === 'tcp' || u.kind === 'tls' || u.kind === 'http')) {
      r.status = 'fail';
      if (notCollected(r.reason)) r.actual = 'no answer: a lower layer failed';
      r.reason = { code: 'caused-by', was: r.reason };
    }
  }
  return results;
}

/** The key under which a check is a lower layer for others, if it is one. */
function lowerKey(c: Check): string | undefined {
  const l = c.selector;
  switch (l.kind) {
    case 'interface':
      return `interface ${l.name}`;
    case 'listener':
      return (l.spec.protocol ?? 'tcp') === 'tcp' ? `listener ${l.spec.port}` : undefined;
    case 'dns':
      return l.spec.server === undefined && /^(A|AAAA|ADDRESS)$/.test(l.spec.type ?? 'A') ? `dns ${hostKey(l.spec.name)}` : undefined;
    case 'tcp':
      return `tcp ${hostKey(l.spec.host)}:${l.spec.port}`;
    case 'route': {
      // An address alone: the route the kernel picks to reach it.
      const a = parseAddress(l.dest);
      return a ? `route ${a.text}` : undefined;
    }
    case 'icmp':
      return `icmp ${hostKey(l.spec.host)}`;
    case 'neighbour': {
      const t = l.target;
      const a = 'gateway' in t ? undefined : parseAddress('to' in t ? t.to : t.address);
      return a ? `neighbour ${a.text}` : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The hosts some TCP connect got through to (a handshake or a refusal came back): silence to ICMP there is a
 * filter, not a host or path that is down.
 */
function reachedHosts(checks: readonly Check[], byId: ReadonlyMap<string, Result>): Set<string> {
  const out = new Set<string>();
  for (const c of checks) {
    const r = byId.get(c.id);
    if (!r || c.selector.kind !== 'tcp') continue;
    const verdicts = reasons(r.reason).flatMap((x) => (x.code === 'connect-verdict' ? [x.verdict] : []));
    const expect = (c.expect as { connect?: string | string[] }).connect ?? 'open';
    const passedOpen = r.status === 'pass' && (Array.isArray(expect) ? expect.every((v) => v !== 'filtered') : expect !== 'filtered');
    if (passedOpen || verdicts.some((v) => v === 'open' || v === 'refused')) out.add(hostKey(c.selector.spec.host));
  }
  return out;
}

/**
 * A ping plumbline made (implied) that met silence from a host TCP got through to says only that ICMP is filtered
 * there: skipped with that reason, so no report shows a failure that explains nothing. A policy's own ICMP check
 * keeps its verdict: the policy asked for ICMP itself.
 */
function filteredPings(checks: readonly Check[], byId: ReadonlyMap<string, Result>, through: ReadonlySet<string>): void {
  for (const c of checks) {
    const r = byId.get(c.id);
    if (r?.status !== 'fail' || c.impliedBy === undefined || c.selector.kind !== 'icmp') continue;
    const host = hostKey(c.selector.spec.host);
    if (!through.has(host) || r.reason.code !== 'icmp-no-reply' || r.reason.unreachable.length > 0) continue;
    r.status = 'skip';
    r.reason = { code: 'icmp-filtered', host, was: r.reason };
  }
}

/** Whether a check's result is its layer failing: what a check standing on it would meet. */
function broken(c: Check, r: Result, through: ReadonlySet<string>): boolean {
  const k = c.selector.kind;
  if (k === 'interface' || k === 'listener') return r.status === 'fail';
  // A probe missing from the snapshot (taken for another policy) says nothing of the endpoint; one that was not
  // answered met the same silence the upper probe meets.
  if (k === 'dns' || k === 'tcp') return (r.status === 'fail' || r.status === 'error') && r.reason.code !== 'not-in-snapshot';
  if (r.status !== 'fail') return false;
  if (k === 'route') return reasons(r.reason).some((x) => x.code === 'no-route');
  if (k === 'neighbour') return reasons(r.reason).some((x) => x.code === 'neighbour-state' && !x.holds);
  // No echo reply (an ICMP error instead, or silence from a host no TCP connect got through to), or no route to
  // send one. A name that does not resolve is DNS's failure, not ICMP's; loss or latency beyond a bound leaves the
  // host reachable.
  if (k === 'icmp' && c.selector.kind === 'icmp') {
    const reached = through.has(hostKey(c.selector.spec.host));
    return reasons(r.reason).some(
      (x) => (x.code === 'icmp-no-reply' && (x.unreachable.length > 0 || !reached)) || (x.code === 'icmp-not-sent' && x.why === 'network-unreachable'),
    );
  }
  return false;
}

/** A reason and those said with it. */
function reasons(r: Reason): Reason[] {
  return [r, ...(r.also ?? [])];
}

/** Whether a TCP result met an answer from the far end (a refusal): the path under it works. */
function answered(r: Result): boolean {
  return reasons(r.reason).some((x) => x.code === 'connect-verdict' && x.verdict === 'refused');
}

/** The keys of the layers a failing check stands on, lowest first. */
function lowerKeys(upper: Check, r: Result): string[] {
  const u = upper.selector;
  const path = (host: string): string[] => {
    const a = parseAddress(host);
    return a ? [`neighbour ${a.text}`, `route ${a.text}`] : [];
  };
  switch (u.kind) {
    case 'route': {
      // A route stands on the interface it is expected to leave by (see above).
      const dev = (upper.expect as { dev?: unknown } | undefined)?.dev;
      return typeof dev === 'string' ? [`interface ${dev}`] : [];
    }
    case 'limits':
      return r.status === 'error' && u.spec.port !== undefined ? [`listener ${u.spec.port}`] : [];
    case 'tcp':
      return [...(answered(r) ? [] : [...path(u.spec.host), `icmp ${hostKey(u.spec.host)}`]), `dns ${hostKey(u.spec.host)}`];
    case 'icmp':
      return path(u.spec.host);
    case 'mtu':
      return [...path(u.spec.host), `icmp ${hostKey(u.spec.host)}`];
    case 'tls': {
      const connectTo = hostKey(u.spec.ip ?? u.spec.host);
      return [...(u.spec.ip === undefined ? [`dns ${connectTo}`] : []), `tcp ${connectTo}:${u.spec.port}`];
    }
    case 'http': {
      if (!URL.canParse(u.spec.url)) return [];
      const url = new URL(u.spec.url);
      const host = hostKey(urlHost(url));
      return [`dns ${host}`, `tcp ${host}:${urlPort(url)}`];
    }
    default:
      return [];
  }
}
