import type { Check, Matcher } from '../../policy/model.js';
import type { FactsSnapshot } from '../../facts/model.js';
import { netstatCounter } from '../../facts/readings/netstat.js';
import { describe, match, show } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';

export function evaluateTcpStates(check: Check, facts: FactsSnapshot): Outcome {
  const e = (check.expect ?? {}) as Record<string, Matcher>;
  const expected = Object.entries(e)
    .map(([state, m]) => `${state} ${describe(m)}`)
    .join(', ');
  const sockets = family(facts, 'sockets', expected);
  if (!sockets.ok) return sockets.outcome;
  const states = sockets.value.tcpStates;
  const whys: string[] = [];
  for (const [state, m] of Object.entries(e)) {
    const r = match(states[state] ?? 0, m);
    if (!r.ok) whys.push(`${state} ${r.why}`);
  }
  const actual = Object.keys(e)
    .map((s) => `${s} ${states[s] ?? 0}`)
    .join(', ');
  return whys.length
    ? { status: 'fail', expected, actual, message: whys.join('; ') }
    : { status: 'pass', expected, actual, message: actual };
}

export function evaluateNetstat(check: Check, counter: string, facts: FactsSnapshot): Outcome {
  const expected = describe(check.expect as Matcher);
  const ns = family(facts, 'netstat', expected);
  if (!ns.ok) return ns.outcome;
  const v = netstatCounter(ns.value, counter);
  if (typeof v !== 'number') return errorOutcome(expected, v.error);
  const shown = show(v);
  const r = match(v, check.expect as Matcher);
  return { status: r.ok ? 'pass' : 'fail', expected, actual: shown, message: r.ok ? `${counter} = ${shown}` : `${counter} ${r.why}` };
}
