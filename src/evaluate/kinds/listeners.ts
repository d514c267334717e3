import type { FactsSnapshot, Listener } from '../../facts/model.js';
import type { ResultDetail } from '../model.js';
import { describe, match } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';
import { hostPortCovers, invalidHostPort, parseHostPort } from '../../lib/address.js';
import type { HostPort } from '../../lib/address.js';
import { described, effectiveAddresses, userOf, invalidEntries } from './shared/listening.js';
import type { Reason } from '../reasons.js';
import { together } from '../reasons.js';
import type { CheckOf } from '../../policy/model.js';

/** Every address the socket accepts on must be allowed by some entry: "[::]:80" and "0.0.0.0:80" together cover a dual-stack [::]:80. */
function covered(l: Listener, allow: HostPort[]): boolean {
  return effectiveAddresses(l).every((x) => allow.some((a) => hostPortCovers(a, x, l.port)));
}

function evaluateListeners(check: CheckOf<'listeners'>, sel: { protocol?: 'tcp' | 'udp'; unprivileged?: boolean }, facts: FactsSnapshot): Outcome {
  const e = check.expect;
  const parts: string[] = [];
  if (e.only) parts.push(`only ${e.only.join(', ')}`);
  if (e.user !== undefined) parts.push(`every listener's user ${describe(e.user)}`);
  const expected = parts.join('; ');
  const invalid = invalidEntries(e.only ?? [], invalidHostPort);
  if (invalid) return errorOutcome(expected, { code: 'invalid-entry', list: 'allow-list', entries: invalid });
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
    const whys: Reason[] = [];
    const user = userOf(l, sockets.value.ownersComplete);
    if (e.only && !covered(l, allow)) whys.push({ code: 'not-allowed' });
    if (e.user !== undefined && user !== undefined && !match(user, e.user).ok) whys.push({ code: 'runs-as', user });
    const failed = together(whys);
    if (failed) return { subject, status: 'fail', actual: '', reason: failed };
    if (e.user !== undefined && user === undefined) {
      return { subject, status: 'error', actual: '', reason: { code: 'owner-unknown', complete: sockets.value.ownersComplete } };
    }
    return { subject, status: 'pass', actual: `user ${user ?? 'unknown'}` };
  });
  const bad = details.filter((d) => d.status === 'fail');
  const unknown = details.filter((d) => d.status === 'error');
  const actual = ls.length ? ls.map(described).join(', ') : 'nothing listening';
  // Each failing listener's findings, said after its name.
  const failed = together(bad.flatMap((d) => (d.reason ? [{ ...d.reason, at: d.subject }] : [])));
  if (failed) return { status: 'fail', expected, actual, reason: failed, details };
  if (unknown.length) {
    return {
      status: 'error',
      expected,
      actual,
      reason: { code: 'listeners-unjudged', count: unknown.length, of: details.length, complete: sockets.value.ownersComplete },
      details,
    };
  }
  return { status: 'pass', expected, actual, reason: { code: 'all-conform', count: ls.length }, details };
}

export function evaluate(c: CheckOf<'listeners'>, facts: FactsSnapshot): Outcome {
  return evaluateListeners(c, c.selector.spec, facts);
}
