import type { Check, Matcher } from '../../policy/model.js';
import type { FactsSnapshot } from '../../facts/model.js';
import { describe, match } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome } from '../outcome.js';

export function evaluateSysctl(check: Check, key: string, facts: FactsSnapshot): Outcome {
  const expected = describe(check.expect as Matcher);
  const fact = facts.sysctl?.[key];
  if (!fact) return errorOutcome(expected, `the facts snapshot has no value for sysctl ${key}`);
  if ('error' in fact) return errorOutcome(expected, `cannot read ${key}: ${fact.error}`);
  if ('missing' in fact) {
    // A key the kernel does not have (IPv6 disabled, module not loaded) cannot be misconfigured.
    return { status: 'skip', expected, actual: '(absent)', message: fact.missing };
  }
  const r = match(fact.value, check.expect as Matcher);
  return {
    status: r.ok ? 'pass' : 'fail',
    expected,
    actual: fact.value,
    message: r.ok ? `${key} = ${fact.value}` : `${key} ${r.why}`,
  };
}
