import type { FactsSnapshot } from '../../facts/model.js';
import { netstatCounter } from '../../facts/readings/netstat.js';
import { describe, match, show } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';
import type { CheckOf } from '../../policy/model.js';

function evaluateNetstat(check: CheckOf<'netstat'>, counter: string, facts: FactsSnapshot): Outcome {
  const expected = describe(check.expect);
  const ns = family(facts, 'netstat', expected);
  if (!ns.ok) return ns.outcome;
  const v = netstatCounter(ns.value, counter);
  if (typeof v !== 'number') return errorOutcome(expected, v.error);
  const shown = show(v);
  const r = match(v, check.expect);
  return { status: r.ok ? 'pass' : 'fail', expected, actual: shown, message: r.ok ? `${counter} = ${shown}` : `${counter} ${r.why}` };
}

export function evaluate(c: CheckOf<'netstat'>, facts: FactsSnapshot): Outcome {
  return evaluateNetstat(c, c.selector.counter, facts);
}
