import type { FactsSnapshot } from '../../facts/model.js';
import { netstatCounter } from '../../facts/readings/netstat.js';
import { about, describe, match, show } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome, family } from '../outcome.js';
import type { CheckOf } from '../../policy/model.js';
import { together } from '../reasons.js';

function evaluateNetstat(check: CheckOf<'netstat'>, counter: string, facts: FactsSnapshot): Outcome {
  const expected = describe(check.expect);
  const ns = family(facts, 'netstat', expected);
  if (!ns.ok) return ns.outcome;
  const v = netstatCounter(ns.value, counter);
  if (typeof v !== 'number') return errorOutcome(expected, { code: 'counter-unknown', error: v.error });
  const shown = show(v);
  const r = match(v, check.expect);
  return {
    status: r.ok ? 'pass' : 'fail',
    expected,
    actual: shown,
    reason: together(about(counter, r.failures)) ?? { code: 'matched', name: counter, value: shown },
  };
}

export function evaluate(c: CheckOf<'netstat'>, facts: FactsSnapshot): Outcome {
  return evaluateNetstat(c, c.selector.counter, facts);
}
