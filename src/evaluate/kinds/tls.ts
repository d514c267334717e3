// The `tls` kind, judged per address: versions, suites, the chain sent and ALPN (shared/tls-judging.ts).
import type { TlsSelector } from '../../policy/model.js';
import type { FactsSnapshot, TlsFact } from '../../facts/model.js';
import { hostKey } from '../../plan/plan.js';
import { tlsProbeKey } from '../../plan/probe-keys.js';
import { show } from '../matchers.js';
import type { ResultDetail } from '../model.js';
import type { Outcome } from '../outcome.js';
import { errorOutcome } from '../outcome.js';
import { probeFact, refusedOutcome } from './shared/probe-fact.js';
import type { TlsExpect } from './shared/tls-judging.js';
import { consistency, expectedOf, judgeAddress, subjectOf } from './shared/tls-judging.js';
import type { CheckOf } from '../../policy/model.js';
import type { Reason } from '../reasons.js';
import { together } from '../reasons.js';

function evaluateTlsProbe(spec: TlsSelector, e: TlsExpect, facts: FactsSnapshot): Outcome {
  const expected = expectedOf(e);
  const f = probeFact<TlsFact>(tlsProbeKey(spec), facts, expected);
  if (!f.ok) return f.outcome;
  const fact = f.value;
  const endpoint = `${hostKey(spec.host)}:${spec.port}`;
  if (fact.error) {
    // A CA file that cannot be read is the policy's problem; a name that does not resolve is the endpoint's.
    if (fact.error.code === 'CA_FILE') return errorOutcome(expected, { code: 'ca-file', why: fact.error.reason });
    const refused = refusedOutcome(fact.error, expected, endpoint);
    if (refused) return refused;
    return {
      status: 'fail',
      expected,
      actual: `${fact.error.reason} (${fact.error.code})`,
      reason: { code: 'endpoint-failed', at: endpoint, why: fact.error.reason, errorCode: fact.error.code },
    };
  }
  const judged = fact.addresses.map((a) => ({ a, subject: subjectOf(a, spec.port), ...judgeAddress(a, e) }));
  const details: ResultDetail[] = judged.map((d) => {
    const why = together([...d.whys, ...d.unknown]);
    return {
      subject: d.subject,
      status: d.whys.length ? 'fail' : d.unknown.length ? 'error' : 'pass',
      actual: d.seen.join('; '),
      ...(why ? { reason: why } : {}),
    };
  });
  // With several addresses, each finding says which address it is about.
  const placed = (d: (typeof judged)[number], w: Reason): Reason => (judged.length > 1 ? { ...w, where: d.subject } : w);
  const whys = judged.flatMap((d) => d.whys.map((w) => placed(d, w)));
  if (spec.allAddresses && e.certificate?.consistent !== false) {
    const differ = consistency(fact);
    if (differ) whys.push(differ);
  }
  const unknown = judged.flatMap((d) => d.unknown.map((w) => placed(d, w)));
  const actual = judged.map((d) => (judged.length > 1 ? `${d.subject} ${d.seen.join('; ')}` : d.seen.join('; '))).join(' | ') || show(undefined);
  const withDetails = judged.length > 1 ? { details } : {};
  const failed = together(whys);
  if (failed) return { status: 'fail', expected, actual, reason: { ...failed, at: endpoint }, ...withDetails };
  // Silence is said as it is; "could not decide" is for what answered but did not settle the question.
  const unsettled = together(unknown);
  if (unsettled) {
    const reason: Reason = judged.some((d) => d.undecided) ? { code: 'undecided', at: endpoint, items: unknown } : { ...unsettled, at: endpoint };
    return { status: 'error', expected, actual, reason, ...withDetails };
  }
  return { status: 'pass', expected, actual, reason: { code: 'matched', at: endpoint, seen: actual }, ...withDetails };
}

// ---------------------------------------------------------------------------------------------------------
// The host's own TLS listeners

export function evaluate(c: CheckOf<'tls'>, facts: FactsSnapshot): Outcome {
  return evaluateTlsProbe(c.selector.spec, c.expect, facts);
}
