// Evaluate every check against a facts snapshot. Pure: no I/O, and "now" is an input (waiver expiry).
import type { Check, ResolvedPolicy, Waiver } from '../policy/model.js';
import { isExpired } from '../policy/waive.js';
import type { FactsSnapshot } from '../facts/model.js';
import type { Result, Status } from './model.js';
import { describe, match, show } from './matchers.js';
import type { Outcome } from './outcome.js';
import { EVALUATORS } from './kinds/registry.js';
import { attributeCauses } from './causes.js';

function outcomeOf(check: Check, facts: FactsSnapshot): Outcome {
  // The registry pairs each kind with its evaluator; TypeScript cannot follow that pairing through a union.
  return (EVALUATORS[check.selector.kind] as (c: Check, facts: FactsSnapshot) => Outcome)(check, facts);
}

/** A check's own verdict, guarded so one broken evaluation cannot take the whole audit down. */
function safeOutcome(check: Check, facts: FactsSnapshot): Outcome {
  try {
    return outcomeOf(check, facts);
  } catch (err) {
    return {
      status: 'error',
      expected: '',
      actual: '(evaluation failed)',
      reason: { code: 'evaluation-failed', check: check.id, error: (err as Error).message },
    };
  }
}

function evaluateCheck(check: Check, facts: FactsSnapshot, vars: ResolvedPolicy['vars'], now: Date, opts: EvaluateOptions): Result {
  const base = {
    id: check.id,
    title: check.title,
    area: check.area,
    severity: check.severity,
    tags: check.tags,
    refs: check.refs,
    source: check.source,
    ...(check.anchor !== undefined ? { anchor: check.anchor } : {}),
    ...(check.remediation !== undefined ? { remediation: check.remediation } : {}),
    ...(check.rationale !== undefined ? { rationale: check.rationale } : {}),
    ...(check.impliedBy !== undefined ? { impliedBy: check.impliedBy } : {}),
  };
  if (check.when) {
    const value = vars[check.when.var];
    const r = match(value, check.when.expect);
    if (!r.ok) {
      return {
        ...base,
        status: 'skip',
        expected: '',
        actual: '',
        reason: { code: 'not-applicable', var: check.when.var, value: show(value), when: describe(check.when.expect) },
      };
    }
  }
  const w = check.waiver;
  const expired = w?.expires !== undefined && isExpired(w.expires, now);
  if (w?.run === false && !expired) {
    // Not collected, so not judged: the waiver is all there is to say.
    return { ...base, status: 'waived', expected: '', actual: '', reason: { code: 'not-run', until: w.expires ?? '' }, waiver: resultWaiver(w, 'skip') };
  }
  let o = safeOutcome(check, facts);
  if (opts.strict && o.status === 'skip' && o.reason.code === 'key-absent') o = { ...o, status: 'fail', reason: { ...o.reason, strict: true } };
  const result: Result = { ...base, status: o.status, expected: o.expected, actual: o.actual, reason: o.reason };
  if (o.details) result.details = o.details;
  if (w && o.status !== 'pass' && o.status !== 'skip') {
    if (expired) {
      result.reason = {
        ...result.reason,
        notes: [
          ...(result.reason.notes ?? []),
          { code: 'waiver-expired', on: w.expires!, reason: w.reason, ...(w.owner !== undefined ? { owner: w.owner } : {}) },
        ],
      };
    } else {
      result.waiver = resultWaiver(w, o.status);
      result.status = 'waived';
    }
  }
  return result;
}

function resultWaiver(w: Waiver, status: Status): NonNullable<Result['waiver']> {
  return {
    reason: w.reason,
    status,
    ...(w.expires !== undefined ? { expires: w.expires } : {}),
    ...(w.owner !== undefined ? { owner: w.owner } : {}),
    source: w.source,
  };
}

export interface EvaluateOptions {
  /** A key absent on this host (a sysctl the kernel lacks) fails instead of being skipped. */
  strict?: boolean;
}

export function evaluate(policy: ResolvedPolicy, facts: FactsSnapshot, now: Date, opts: EvaluateOptions = {}): Result[] {
  const results = policy.checks.map((c) => evaluateCheck(c, facts, policy.vars, now, opts));
  return attributeCauses(policy.checks, results);
}
