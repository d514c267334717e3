import type { FactsSnapshot } from '../../facts/model.js';
import { about, describe, isOps, match } from '../matchers.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome } from '../outcome.js';
import { ipv6Off } from '../../facts/readings/ipv6.js';
import type { CheckOf } from '../../policy/model.js';
import { together } from '../reasons.js';

/**
 * Why IPv6 does not apply on this host (no IPv6 stack, or disable_ipv6 on all), or undefined when it does or
 * the snapshot does not say (older snapshots carry no ipv6 family: judge as before).
 */
function isIpv6Key(key: string): boolean {
  return key.startsWith('net.ipv6.') || key.startsWith('net/ipv6/');
}

/** disable_ipv6 keys say whether IPv6 is off: a check on them is about exactly that, and stays judged. */
function isSwitch(key: string): boolean {
  return /[./]disable_ipv6$/.test(key);
}

/** An expectation about presence alone decides on an absent key; any other one has nothing to compare. */
function absentOutcome(check: CheckOf<'sysctl'>, expected: string, missing: string, nearest: string | undefined): Outcome {
  const m = check.expect;
  const meant = nearest !== undefined ? { nearest } : {};
  if (isOps(m) && m.exists !== undefined) {
    return { status: m.exists ? 'fail' : 'pass', expected, actual: '(absent)', reason: { code: 'key-absent', why: missing, exists: m.exists, ...meant } };
  }
  // A key the kernel does not have (IPv6 disabled, module not loaded) cannot be misconfigured.
  return { status: 'skip', expected, actual: '(absent)', reason: { code: 'key-absent', why: missing, ...meant } };
}

export function evaluateSysctl(check: CheckOf<'sysctl'>, key: string, facts: FactsSnapshot): Outcome {
  const expected = describe(check.expect);
  const off = isIpv6Key(key) && !isSwitch(key) ? ipv6Off(facts) : undefined;
  // With disable_ipv6 = 1 the keys still exist and hold values, but nothing uses them: no IPv6, no IPv6 risk.
  if (off) return { status: 'skip', expected, actual: 'IPv6 off', reason: { code: 'ipv6-off', why: off } };
  const fact = facts.sysctl?.[key];
  if (!fact) return errorOutcome(expected, { code: 'fact-missing', sysctl: key });
  if ('error' in fact) return errorOutcome(expected, { code: 'unreadable', key, error: fact.error });
  if ('missing' in fact) return absentOutcome(check, expected, fact.missing, fact.nearest);
  const r = match(fact.value, check.expect);
  return {
    status: r.ok ? 'pass' : 'fail',
    expected,
    actual: fact.value,
    reason: together(about(key, r.failures)) ?? { code: 'matched', name: key, value: fact.value },
  };
}

export function evaluate(c: CheckOf<'sysctl'>, facts: FactsSnapshot): Outcome {
  return evaluateSysctl(c, c.selector.key, facts);
}
