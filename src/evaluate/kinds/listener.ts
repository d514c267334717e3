// The `listener` kind, judged: who listens on one port, where, as whom.
import type { ListenerSelector, Matcher } from '../../policy/model.js';
import type { FactsSnapshot } from '../../facts/model.js';
import { describe, match } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';
import { invalidNetwork } from '../../lib/address.js';
import { endpoint, described, userOf, describeBind, bindHolds, invalidEntries } from './shared/listening.js';
import type { Reason } from '../reasons.js';
import { together } from '../reasons.js';
import type { CheckOf, ExpectOf } from '../../policy/model.js';

type ListenerExpect = ExpectOf<'listener'>;

function describeListener(e: ListenerExpect): string {
  const parts: string[] = [];
  if (e.present !== undefined) parts.push(e.present ? 'listening' : 'not listening');
  if (e.bind !== undefined) parts.push(describeBind(e.bind));
  if (e.user !== undefined) parts.push(`user ${describe(e.user)}`);
  if (e.process !== undefined) parts.push(`process ${describe(e.process)}`);
  return parts.join(', ');
}

function evaluateListener(check: CheckOf<'listener'>, sel: ListenerSelector, facts: FactsSnapshot): Outcome {
  const e: ListenerExpect = check.expect;
  const expected = describeListener(e);
  if (Array.isArray(e.bind)) {
    const bad = invalidEntries(e.bind, invalidNetwork);
    if (bad) return errorOutcome(expected, { code: 'invalid-entry', list: 'bind', entries: bad });
  }
  const sockets = family(facts, 'sockets', expected);
  if (!sockets.ok) return sockets.outcome;
  const proto = sel.protocol ?? 'tcp';
  const ls = sockets.value.listeners.filter((l) => l.protocol === proto && l.port === sel.port);
  const what = `${proto}/${sel.port}`;
  const actual = ls.length ? ls.map(described).join(', ') : 'nothing listening';
  if (ls.length === 0) {
    if (e.bind === 'absent' || e.present === false) return { status: 'pass', expected, actual, reason: { code: 'nothing-listening', on: what } };
    // "any" or an address list asks for the service to be there; loopback/specific/user/process only restrict it.
    const demanded = e.present === true || e.bind === 'any' || Array.isArray(e.bind);
    if (demanded) return { status: 'fail', expected, actual, reason: { code: 'nothing-listening', on: what } };
    return { status: 'skip', expected, actual, reason: { code: 'nothing-listening', on: what, restriction: true } };
  }
  const whys: Reason[] = [];
  // One "owner unknown" per socket, whichever expectation met it.
  const unknown = new Map<string, Reason>();
  const complete = sockets.value.ownersComplete;
  if (e.present === false || e.bind === 'absent') whys.push({ code: 'listening', on: what, seen: actual });
  else if (e.bind !== undefined && !bindHolds(e.bind, ls)) whys.push({ code: 'bind-breach', on: what, bind: e.bind, seen: actual });
  for (const l of ls) {
    if (e.user !== undefined) {
      const user = userOf(l, complete);
      if (user === undefined) unknown.set(endpoint(l), { code: 'owner-unknown', at: endpoint(l), complete });
      else if (!match(user, e.user).ok) whys.push({ code: 'runs-as', subject: endpoint(l), user });
    }
    if (e.process !== undefined) {
      const names = l.owners.map((o) => o.comm);
      if (names.length === 0) unknown.set(endpoint(l), { code: 'owner-unknown', at: endpoint(l), complete });
      else if (!names.some((n) => match(n, e.process as Matcher).ok)) whys.push({ code: 'owned-by', subject: endpoint(l), owners: names });
    }
  }
  const failed = together(whys);
  if (failed) return { status: 'fail', expected, actual, reason: failed };
  const unjudged = together([...unknown.values()]);
  if (unjudged) return { status: 'error', expected, actual, reason: unjudged };
  return { status: 'pass', expected, actual, reason: { code: 'matched', at: what, seen: actual } };
}

export function evaluate(c: CheckOf<'listener'>, facts: FactsSnapshot): Outcome {
  return evaluateListener(c, c.selector.spec, facts);
}
