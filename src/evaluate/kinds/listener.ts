// The `listener` kind, judged: who listens on one port, where, as whom.
import type { ListenerSelector, Matcher } from '../../policy/model.js';
import type { FactsSnapshot } from '../../facts/model.js';
import { describe, match } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';
import { invalidNetwork } from '../../lib/address.js';
import { endpoint, described, userOf, ownerUnknown, describeBind, bindBreach, bindHolds, invalidEntries } from './shared/listening.js';
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

export function evaluate(c: CheckOf<'listener'>, facts: FactsSnapshot): Outcome {
  return evaluateListener(c, c.selector.spec, facts);
}
